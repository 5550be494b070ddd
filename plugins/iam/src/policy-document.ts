/**
 * Reading IAM policy documents (trust policies) as the safety rules need
 * them. IAM hands documents back URL-encoded (RFC 3986) from ListRoles and
 * GetRole; emulators sometimes return them as plain JSON.
 */

/** One statement of a policy document, as far as the safety rules read it. */
export interface PolicyStatement {
  readonly Effect?: unknown;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
}

/** The principals an `Allow` statement names, by kind. */
export interface StatementPrincipals {
  /** `"Principal": "*"` or `{"AWS": "*"}`: anyone. */
  readonly anyone: boolean;
  readonly aws: string[];
  readonly service: string[];
  readonly federated: string[];
  readonly canonicalUser: string[];
}

/** The JSON text of a policy document, whether URL-encoded (as IAM returns it) or not. */
export function decodePolicyDocument(raw: string): string {
  if (raw.trimStart().startsWith("{")) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** True when `raw` is a policy document (encoded or not): a JSON object with a `Statement`. */
export function isPolicyDocument(raw: string): boolean {
  try {
    const document: unknown = JSON.parse(decodePolicyDocument(raw));
    return typeof document === "object" && document !== null && "Statement" in document;
  } catch {
    return false;
  }
}

/** The statements of a policy document (encoded or not); empty when it is not valid JSON. */
function policyStatements(raw: string | undefined): PolicyStatement[] {
  if (raw === undefined) return [];
  let document: unknown;
  try {
    document = JSON.parse(decodePolicyDocument(raw));
  } catch {
    return [];
  }
  if (typeof document !== "object" || document === null) return [];
  const statement = (document as { Statement?: unknown }).Statement;
  const list: unknown[] = Array.isArray(statement) ? statement : statement === undefined ? [] : [statement];
  return list.filter((s): s is PolicyStatement => typeof s === "object" && s !== null);
}

function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return [];
}

/** The principals of one statement (`Principal` only; `NotPrincipal` is not a list of who may). */
export function statementPrincipals(statement: PolicyStatement): StatementPrincipals {
  const principal = statement.Principal;
  if (principal === "*") return { anyone: true, aws: [], service: [], federated: [], canonicalUser: [] };
  const map = typeof principal === "object" && principal !== null ? (principal as Record<string, unknown>) : {};
  const aws = strings(map.AWS);
  return {
    anyone: aws.includes("*"),
    aws,
    service: strings(map.Service),
    federated: strings(map.Federated),
    canonicalUser: strings(map.CanonicalUser),
  };
}

/** The `Allow` statements of a policy document. */
export function allowStatements(raw: string | undefined): PolicyStatement[] {
  return policyStatements(raw).filter((s) => s.Effect === "Allow");
}
