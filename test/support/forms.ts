/** The anti-forgery token of the first dashboard form in `markup` (empty when there is none). */
export const csrfOf = (markup: string): string => /name="_csrf" value="([^"]+)"/.exec(markup)?.[1] ?? '';

/** Markup with the HTML escapes of the French typography read back (`’`, straight quotes), as a reader sees it. */
export const readableMarkup = (markup: string): string => markup.replace(/&#39;|&rsquo;/g, '’').replace(/&quot;/g, '"');
