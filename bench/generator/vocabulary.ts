import type { BudgetCategory, PartnerKind } from '@jalon/domain';

/**
 * Words the synthetic programme is written with: medium-sized French towns (most of them Action
 * Cœur de Ville towns), partners, expenditure labels, reasons. Plain data, chosen to give events
 * of a realistic size and shape; nothing here is a fact about a real antenna.
 */

export interface Town {
  readonly name: string;
  readonly department: string;
  readonly region: string;
}

export const TOWNS: readonly Town[] = [
  { name: 'Montbéliard', department: 'Doubs', region: 'Bourgogne-Franche-Comté' },
  { name: 'Saint-Dié-des-Vosges', department: 'Vosges', region: 'Grand Est' },
  { name: 'Épinal', department: 'Vosges', region: 'Grand Est' },
  { name: 'Charleville-Mézières', department: 'Ardennes', region: 'Grand Est' },
  { name: 'Chaumont', department: 'Haute-Marne', region: 'Grand Est' },
  { name: 'Bar-le-Duc', department: 'Meuse', region: 'Grand Est' },
  { name: 'Forbach', department: 'Moselle', region: 'Grand Est' },
  { name: 'Lons-le-Saunier', department: 'Jura', region: 'Bourgogne-Franche-Comté' },
  { name: 'Nevers', department: 'Nièvre', region: 'Bourgogne-Franche-Comté' },
  { name: 'Auxerre', department: 'Yonne', region: 'Bourgogne-Franche-Comté' },
  { name: 'Le Creusot', department: 'Saône-et-Loire', region: 'Bourgogne-Franche-Comté' },
  { name: 'Vesoul', department: 'Haute-Saône', region: 'Bourgogne-Franche-Comté' },
  { name: 'Moulins', department: 'Allier', region: 'Auvergne-Rhône-Alpes' },
  { name: 'Aurillac', department: 'Cantal', region: 'Auvergne-Rhône-Alpes' },
  { name: 'Le Puy-en-Velay', department: 'Haute-Loire', region: 'Auvergne-Rhône-Alpes' },
  { name: 'Roanne', department: 'Loire', region: 'Auvergne-Rhône-Alpes' },
  { name: 'Privas', department: 'Ardèche', region: 'Auvergne-Rhône-Alpes' },
  { name: 'Bourg-en-Bresse', department: 'Ain', region: 'Auvergne-Rhône-Alpes' },
  { name: 'Guéret', department: 'Creuse', region: 'Nouvelle-Aquitaine' },
  { name: 'Tulle', department: 'Corrèze', region: 'Nouvelle-Aquitaine' },
  { name: 'Périgueux', department: 'Dordogne', region: 'Nouvelle-Aquitaine' },
  { name: 'Agen', department: 'Lot-et-Garonne', region: 'Nouvelle-Aquitaine' },
  { name: 'Mont-de-Marsan', department: 'Landes', region: 'Nouvelle-Aquitaine' },
  { name: 'Niort', department: 'Deux-Sèvres', region: 'Nouvelle-Aquitaine' },
  { name: 'Angoulême', department: 'Charente', region: 'Nouvelle-Aquitaine' },
  { name: 'Cahors', department: 'Lot', region: 'Occitanie' },
  { name: 'Rodez', department: 'Aveyron', region: 'Occitanie' },
  { name: 'Albi', department: 'Tarn', region: 'Occitanie' },
  { name: 'Auch', department: 'Gers', region: 'Occitanie' },
  { name: 'Foix', department: 'Ariège', region: 'Occitanie' },
  { name: 'Mende', department: 'Lozère', region: 'Occitanie' },
  { name: 'Carcassonne', department: 'Aude', region: 'Occitanie' },
  { name: 'Alès', department: 'Gard', region: 'Occitanie' },
  { name: 'Digne-les-Bains', department: 'Alpes-de-Haute-Provence', region: 'Provence-Alpes-Côte d’Azur' },
  { name: 'Gap', department: 'Hautes-Alpes', region: 'Provence-Alpes-Côte d’Azur' },
  { name: 'Carpentras', department: 'Vaucluse', region: 'Provence-Alpes-Côte d’Azur' },
  { name: 'Bastia', department: 'Haute-Corse', region: 'Corse' },
  { name: 'Vierzon', department: 'Cher', region: 'Centre-Val de Loire' },
  { name: 'Châteauroux', department: 'Indre', region: 'Centre-Val de Loire' },
  { name: 'Dreux', department: 'Eure-et-Loir', region: 'Centre-Val de Loire' },
  { name: 'Montargis', department: 'Loiret', region: 'Centre-Val de Loire' },
  { name: 'Vendôme', department: 'Loir-et-Cher', region: 'Centre-Val de Loire' },
  { name: 'Alençon', department: 'Orne', region: 'Normandie' },
  { name: 'Saint-Lô', department: 'Manche', region: 'Normandie' },
  { name: 'Lisieux', department: 'Calvados', region: 'Normandie' },
  { name: 'Évreux', department: 'Eure', region: 'Normandie' },
  { name: 'Dieppe', department: 'Seine-Maritime', region: 'Normandie' },
  { name: 'Saint-Brieuc', department: 'Côtes-d’Armor', region: 'Bretagne' },
  { name: 'Morlaix', department: 'Finistère', region: 'Bretagne' },
  { name: 'Pontivy', department: 'Morbihan', region: 'Bretagne' },
  { name: 'Fougères', department: 'Ille-et-Vilaine', region: 'Bretagne' },
  { name: 'Laval', department: 'Mayenne', region: 'Pays de la Loire' },
  { name: 'Saumur', department: 'Maine-et-Loire', region: 'Pays de la Loire' },
  { name: 'La Roche-sur-Yon', department: 'Vendée', region: 'Pays de la Loire' },
  { name: 'Château-Thierry', department: 'Aisne', region: 'Hauts-de-France' },
  { name: 'Maubeuge', department: 'Nord', region: 'Hauts-de-France' },
  { name: 'Lens', department: 'Pas-de-Calais', region: 'Hauts-de-France' },
  { name: 'Abbeville', department: 'Somme', region: 'Hauts-de-France' },
  { name: 'Beauvais', department: 'Oise', region: 'Hauts-de-France' },
  { name: 'Sens', department: 'Yonne', region: 'Bourgogne-Franche-Comté' },
];

export interface PartnerTemplate {
  readonly name: (town: Town) => string;
  readonly kind: PartnerKind;
}

export const PARTNERS: readonly PartnerTemplate[] = [
  { name: (t) => `Cnam ${t.region}`, kind: 'academic' },
  { name: (t) => `Ville de ${t.name}`, kind: 'local-authority' },
  { name: (t) => `Agglomération de ${t.name}`, kind: 'local-authority' },
  { name: (t) => `Conseil départemental (${t.department})`, kind: 'local-authority' },
  { name: (t) => `Université de ${t.region}`, kind: 'academic' },
  { name: (t) => `GRETA ${t.department}`, kind: 'training-provider' },
  { name: () => 'AFPA', kind: 'training-provider' },
  { name: (t) => `Lycée professionnel de ${t.name}`, kind: 'training-provider' },
  { name: (t) => `Mission locale de ${t.name}`, kind: 'employment-service' },
  { name: () => 'France Travail', kind: 'employment-service' },
  { name: () => 'Cap emploi', kind: 'employment-service' },
  { name: (t) => `CCI ${t.department}`, kind: 'employer' },
  { name: (t) => `Chambre de métiers (${t.department})`, kind: 'employer' },
  { name: () => 'UIMM', kind: 'employer' },
  { name: (t) => `Groupement d’employeurs de ${t.name}`, kind: 'employer' },
  { name: (t) => `Tiers-lieu de ${t.name}`, kind: 'other' },
  { name: (t) => `Médiathèque de ${t.name}`, kind: 'other' },
];

export const TRAINING_NEEDS: readonly string[] = [
  'Reconversion des demandeurs d’emploi vers les métiers de l’industrie',
  'Formations hybrides en alternance pour les salariés des PME',
  'Accès aux diplômes de niveau BAC+2 à BAC+3 sans quitter le territoire',
  'Compétences numériques pour les agents des collectivités',
  'Métiers du soin et de l’accompagnement des personnes âgées',
  'Transition énergétique du bâtiment',
  'Logistique et transport',
  'Gestion et comptabilité des petites entreprises',
];

export const SELECTION_CRITERIA: readonly string[] = [
  'Forte dynamique partenariale locale',
  'Diversité des établissements de formation',
  'Besoins de formation du bassin d’emploi',
  'Engagement financier des collectivités',
  'Qualité du lieu d’accueil proposé',
];

export const REJECTION_REASONS: readonly string[] = [
  'Partenariat local insuffisamment constitué',
  'Lieu d’accueil non identifié',
  'Besoins de formation déjà couverts par une antenne voisine',
  'Plan de financement incomplet',
];

export const WITHDRAWAL_REASONS: readonly string[] = [
  'Changement de priorités de la collectivité',
  'Retrait d’un partenaire financeur',
  'Report du projet à un appel ultérieur',
];

export const MILESTONES: readonly string[] = [
  'Local aménagé et ouvert au public',
  'Premier comité de pilotage',
  'Recrutement de la coordinatrice',
  'Première session de formation ouverte',
  'Convention signée avec la région',
  'Rapport d’activité remis',
];

export const PHASE_NAMES: readonly string[] = [
  'Accueil, information et orientation',
  'Ouverture des premières formations à distance',
  'Formations en alternance sur site',
  'Extension à de nouveaux publics',
];

export const COURSES: readonly { title: string; sector: string; level: string }[] = [
  { title: 'Technicien de maintenance industrielle', sector: 'Industrie', level: 'BAC+2' },
  { title: 'Gestionnaire de paie', sector: 'Gestion', level: 'BAC+2' },
  { title: 'Licence professionnelle management des organisations', sector: 'Management', level: 'BAC+3' },
  { title: 'Certificat de compétences en cybersécurité', sector: 'Numérique', level: 'BAC+2' },
  { title: 'Assistant de vie aux familles', sector: 'Santé et social', level: 'CAP' },
  { title: 'Remise à niveau et reprise d’études', sector: 'Orientation', level: 'BAC' },
  { title: 'Responsable logistique', sector: 'Transport et logistique', level: 'BAC+3' },
  { title: 'Rénovation énergétique des bâtiments', sector: 'Bâtiment', level: 'BAC+2' },
];

export const EXPENDITURE_LABELS: Readonly<Record<BudgetCategory, readonly string[]>> = {
  staff: ['Rémunération de la coordinatrice', 'Vacations d’intervenants', 'Heures de tutorat', 'Accueil et secrétariat'],
  premises: ['Loyer du local', 'Charges et fluides', 'Nettoyage des locaux', 'Aménagement de la salle de cours'],
  equipment: ['Ordinateurs portables', 'Équipement de visioconférence', 'Mobilier de la salle', 'Imprimante multifonction'],
  teaching: ['Licences de ressources pédagogiques', 'Frais d’examen et de certification', 'Intervention d’un formateur', 'Supports de cours'],
  communication: ['Impression de dépliants', 'Stand au salon de l’orientation', 'Campagne sur les réseaux sociaux', 'Soirée portes ouvertes'],
  operations: ['Fournitures de bureau', 'Frais de déplacement', 'Assurance des locaux', 'Abonnement internet'],
  other: ['Frais bancaires', 'Dépenses diverses', 'Cotisation à un réseau'],
};

export const EXPENDITURE_REVERSAL_REASONS: readonly string[] = [
  'Facture saisie en double',
  'Erreur d’imputation sur l’antenne',
  'Avoir reçu du fournisseur',
];

export const BUDGET_REVISION_REASONS: readonly string[] = [
  'Réaffectation après le bilan annuel',
  'Report de travaux sur l’exercice suivant',
  'Hausse des effectifs accueillis',
  'Révision après la convention régionale',
];

export const TRANCHE_REVERSAL_REASONS: readonly string[] = [
  'Condition non remplie : rapport d’activité non transmis',
  'Versement émis sur un mauvais compte',
];

export const LEARNER_CORRECTION_REASONS: readonly string[] = [
  'Inscriptions tardives prises en compte',
  'Doublons retirés après contrôle',
];

export const MONTHS: readonly string[] = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
];

/** Lower-case ASCII slug of a French name: `Saint-Dié-des-Vosges` → `saint-die-des-vosges`. */
export function slugOf(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
