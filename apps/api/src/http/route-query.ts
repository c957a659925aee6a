import { FieldViolation, InputValidationError } from '@jalon/application';

/**
 * The query of a route that reads `accepted`: each of them given once at most, and no other. A
 * parameter the route does not read is refused naming it, never ignored: `dryrun=true` (for
 * `dryRun`) would otherwise write what was meant as a check, and `antena=montbeliard` (for
 * `antenna`) would give the whole programme. One given twice is refused too (which copy would
 * count?), rather than judged as a list by a rule that expects one value. `route` says, in French,
 * what does not expect it (« les rapports »).
 */
export function routeQuery<Name extends string>(query: Readonly<Record<string, unknown>>, accepted: readonly Name[], route: string): Partial<Record<Name, string>> {
  const violations: FieldViolation[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (!(accepted as readonly string[]).includes(name)) {
      violations.push({ field: name, rule: 'whitelistValidation', message: `le paramètre ${name} n’est pas attendu par ${route}` });
    } else if (Array.isArray(value)) {
      violations.push({ field: name, rule: 'uniqueKey', message: `${name} figure plusieurs fois dans la requête : donnez-le une seule fois` });
    }
  }
  if (violations.length > 0) throw new InputValidationError(violations);
  return query as Partial<Record<Name, string>>;
}
