import { createHash } from 'node:crypto';

/**
 * The dashboard's one style sheet, compiled with the rest of the code (no asset pipeline, no
 * external font: system fonts only). Colours are chosen for contrast on white: text ≥ 4.5:1
 * (most are above 7:1), chart marks and field borders ≥ 3:1; focus is always visible.
 */
export const COLOURS = {
  text: '#1e1e1e',
  muted: '#4d4d4d',
  primary: '#000091',
  primaryHover: '#1212ff',
  border: '#6b6b6b',
  rule: '#dddddd',
  background: '#ffffff',
  subtle: '#f3f3f6',
  error: '#ce0500',
  success: '#18753c',
  warning: '#8a4b00',
  focus: '#0a5ad6',
  forecast: '#000091',
  released: '#b34000',
  spent: '#18753c',
  originalPlan: '#6b6b6b',
  currentPlan: '#3f3fb8',
  actual: '#18753c',
} as const;

const c = COLOURS;

export const JALON_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{font-size:100%;-webkit-text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans","Liberation Sans",Arial,sans-serif;line-height:1.5;color:${c.text};background:${c.background};overflow-wrap:break-word}
img,svg,video{max-width:100%}
a{color:${c.primary};text-underline-offset:.15em}
a:hover{color:${c.primaryHover};text-decoration-thickness:2px}
:focus-visible{outline:3px solid ${c.focus};outline-offset:2px}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,summary:focus-visible,[tabindex]:focus-visible{outline:3px solid ${c.focus};outline-offset:2px}
h1,h2,h3{line-height:1.25;margin:1.5rem 0 .75rem}
h1{font-size:2rem;margin-top:1rem}
h2{font-size:1.5rem;border-bottom:2px solid ${c.primary};padding-bottom:.25rem}
h3{font-size:1.15rem}
p{margin:.5rem 0}
.sr{position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
.lien-evitement{position:absolute;left:.5rem;top:-4rem;background:${c.background};color:${c.primary};padding:.5rem 1rem;z-index:10;border:2px solid ${c.primary}}
.lien-evitement:focus{top:.5rem}
.conteneur{max-width:1240px;margin:0 auto;padding:0 1.25rem}
.bandeau{background:${c.background};border-bottom:4px solid ${c.primary};box-shadow:0 2px 4px rgba(0,0,0,.08)}
.bandeau .conteneur{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 2rem;padding-top:.75rem;padding-bottom:.75rem}
.marque{display:flex;flex-direction:column;text-decoration:none;color:${c.text};font-weight:700;font-size:1.5rem;line-height:1.1}
.marque small{font-weight:400;font-size:.9rem;color:${c.muted}}
.navigation ul{display:flex;flex-wrap:wrap;gap:.25rem;list-style:none;margin:0;padding:0}
.navigation a{display:block;padding:.5rem .9rem;text-decoration:none;font-weight:600;border-bottom:3px solid transparent}
.navigation a[aria-current="page"]{border-bottom-color:${c.primary}}
.compte{margin-left:auto;display:flex;align-items:center;gap:.75rem;font-size:.95rem}
.compte form{margin:0}
.actions-ligne{display:flex;flex-wrap:wrap;gap:.5rem}
.actions-ligne form{margin:0}
main{display:block;padding-bottom:3rem}
main:focus{outline:none}
.pied{border-top:1px solid ${c.rule};color:${c.muted};font-size:.875rem;padding:1rem 0 2rem}
.fil{font-size:.9rem;margin-top:1rem}
.fil ol{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem;margin:0;padding:0}
.fil li+li::before{content:"›";margin-right:.25rem;color:${c.muted}}
.chapeau{color:${c.muted};font-size:1.05rem;max-width:60rem}
.bouton,button{font:inherit;font-weight:600;display:inline-block;padding:.5rem 1rem;border-radius:.25rem;border:2px solid ${c.primary};background:${c.primary};color:#fff;cursor:pointer;text-decoration:none;line-height:1.4}
.bouton:hover,button:hover{background:${c.primaryHover};border-color:${c.primaryHover};color:#fff}
.bouton.secondaire,button.secondaire{background:${c.background};color:${c.primary}}
.bouton.secondaire:hover,button.secondaire:hover{background:${c.subtle};color:${c.primary}}
.bouton.petit{padding:.15rem .6rem;font-size:.875rem;border-width:1px}
.actions-ligne{display:flex;flex-wrap:wrap;gap:.35rem}
.grille-kpi{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(14rem,100%),1fr));gap:1rem;margin:1rem 0;padding:0;list-style:none}
.kpi{border:1px solid ${c.rule};border-top:4px solid ${c.primary};padding:1rem;background:${c.background}}
.kpi .libelle{display:block;color:${c.muted};font-size:.95rem}
.kpi .valeur{display:block;font-size:1.5rem;font-weight:700;line-height:1.2;margin:.25rem 0;white-space:nowrap}
.kpi .detail{display:block;font-size:.9rem;color:${c.muted}}
.jauge{display:block;width:100%;height:.75rem;margin-top:.5rem;border:1px solid ${c.border}}
.defilement{position:relative;overflow-x:auto;margin:1rem 0}
table{border-collapse:collapse;width:100%;font-size:.95rem;font-variant-numeric:tabular-nums}
caption{text-align:left;font-weight:700;font-size:1.05rem;padding:.5rem 0;caption-side:top}
th,td{padding:.4rem .5rem;border-bottom:1px solid ${c.rule};vertical-align:top;text-align:left}
thead th{background:${c.subtle};border-bottom:2px solid ${c.text};vertical-align:bottom}
tbody tr:nth-child(even){background:#fafafa}
tfoot th,tfoot td{font-weight:700;border-top:2px solid ${c.text}}
.nombre{text-align:right;white-space:nowrap}
.etiquette{display:inline-block;padding:.05rem .5rem;border-radius:1rem;font-size:.85rem;font-weight:600;border:1px solid currentColor;white-space:nowrap}
.etiquette.active,.etiquette.received,.etiquette.completed{color:${c.success};background:#e6f4ea}
.etiquette.suspended,.etiquette.released,.etiquette.started{color:${c.warning};background:#fff4e5}
.etiquette.closed,.etiquette.reversed,.etiquette.ecart,.etiquette.interrupted{color:${c.error};background:#fdeceb}
.etiquette.planned{color:${c.primary};background:#ececfe}
.alerte{border-left:5px solid ${c.primary};background:${c.subtle};padding:.75rem 1rem;margin:1rem 0}
.alerte h2,.alerte h3{margin:0 0 .5rem;border:0;font-size:1.1rem;padding:0}
.alerte.erreur{border-color:${c.error};background:#fdeceb}
.alerte.succes{border-color:${c.success};background:#e6f4ea}
.alerte.attention{border-color:${c.warning};background:#fff4e5}
.alerte ul{margin:.25rem 0;padding-left:1.25rem}
.code{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:.9em;background:#fff;border:1px solid ${c.rule};padding:0 .25rem}
.filtres{display:flex;flex-wrap:wrap;align-items:flex-end;gap:1rem;background:${c.subtle};padding:1rem;margin:1rem 0}
.filtres .champ{margin:0;min-width:0;max-width:100%}
.champ{margin:0 0 1.25rem;min-width:0;max-width:100%}
.champ label,.champ .legende{display:block;font-weight:600;margin-bottom:.25rem}
.aide{font-size:.9rem;font-weight:400;color:${c.muted}}
.champ .aide{display:block;margin:0 0 .25rem}
ul.sans-puces{list-style:none;margin:0;padding:0}
ul.sans-puces li+li{margin-top:.35rem}
.obligatoire{font-weight:400;color:${c.muted}}
input[type=text],input[type=date],input[type=password],input[type=search],select,textarea{font:inherit;color:${c.text};background:#fff;border:1px solid ${c.border};border-bottom:2px solid ${c.text};border-radius:.25rem .25rem 0 0;padding:.45rem .6rem;max-width:100%}
input[type=text],input[type=password],textarea{width:32rem}
input.montant{width:12rem;text-align:right}
input.date{width:9.5rem}
textarea{min-height:5rem}
.case{display:flex;align-items:center;gap:.5rem}
.case input{width:1.25rem;height:1.25rem}
.champ.en-erreur{border-left:4px solid ${c.error};padding-left:.75rem}
.champ.en-erreur input,.champ.en-erreur select,.champ.en-erreur textarea{border-color:${c.error};border-bottom-color:${c.error}}
.message-erreur{color:${c.error};font-weight:600;margin:.15rem 0 .35rem}
fieldset{border:1px solid ${c.rule};padding:.75rem 1rem 0;margin:0 0 1.25rem;min-width:0}
legend{font-weight:700;padding:0 .25rem}
.rangee{display:flex;flex-wrap:wrap;gap:0 1rem}
.rangee .champ input[type=text]{width:14rem}
fieldset.ligne>button,fieldset.liste>button{margin:0 0 1rem}
.formulaire-actions{display:flex;flex-wrap:wrap;align-items:center;gap:1rem;margin-top:1.5rem}
.deux-colonnes{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(22rem,100%),1fr));gap:0 2rem}
dl.proprietes{display:grid;grid-template-columns:minmax(0,max-content) minmax(0,1fr);gap:.25rem 1rem;margin:1rem 0}
dl.proprietes dt{font-weight:600;color:${c.muted}}
dl.proprietes dd{margin:0;min-width:0}
.insecable{white-space:nowrap}
ul.revisions{padding-left:1.25rem}
ul.revisions li+li{margin-top:.5rem}
.confirmation{margin-top:1rem;scroll-margin-top:1rem}
.confirmation:focus{outline:3px solid ${c.focus};outline-offset:2px}
.graphique{margin:1rem 0;max-width:100%}
.graphique svg{width:100%;max-width:1200px;height:auto;display:block}
.graphique figcaption{font-size:.9rem;color:${c.muted};margin-top:.25rem}
.bandeau-date{border:2px solid ${c.warning};background:#fff4e5;padding:.75rem 1rem;margin:1rem 0}
.date-controle{display:flex;flex-wrap:wrap;gap:.75rem;align-items:flex-end}
.date-controle .champ{margin:0}
.saisie-bouton{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center}
.liste-actions{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;padding:0;margin:.5rem 0 1rem}
.carte-connexion{max-width:36rem;margin:2rem auto;border:1px solid ${c.rule};padding:1.5rem 2rem;border-top:4px solid ${c.primary}}
.carte-connexion input[type=password]{width:100%}
.empreinte{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:.9em;overflow-wrap:anywhere;word-break:break-all;min-width:0}
pre.commande{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:.9em;white-space:pre-wrap;overflow-wrap:anywhere;word-break:break-all;background:${c.subtle};border:1px solid ${c.rule};padding:.5rem .75rem;max-width:100%}
.alerte.erreur.journal-altere{border-width:8px;font-size:1.05rem}
@media (max-width:30rem){dl.proprietes{grid-template-columns:minmax(0,1fr)}dl.proprietes dd{margin-bottom:.5rem}.conteneur{padding:0 .75rem}.etiquette{white-space:normal}.carte-connexion{padding:1rem}.marque{font-size:1.25rem}}
@media (max-width:48rem){h1{font-size:1.6rem}input[type=text],input[type=password],textarea{width:100%}.compte{margin-left:0}}
@media (prefers-reduced-motion:reduce){*{transition:none!important;animation:none!important}}
`;

export const JALON_CSS_VERSION = createHash('sha256').update(JALON_CSS).digest('hex').slice(0, 12);
export const JALON_CSS_PATH = `/assets/jalon.css?v=${JALON_CSS_VERSION}`;
