/** The API (`/api…`) and the health check; every other address belongs to the dashboard. */
export function isApiPath(url: string): boolean {
  return /^\/(api|health)(?:[/?#]|$)/.test(url);
}
