/** The anti-forgery token of the first dashboard form in `markup` (empty when there is none). */
export const csrfOf = (markup: string): string => /name="_csrf" value="([^"]+)"/.exec(markup)?.[1] ?? '';
