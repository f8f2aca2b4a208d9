// Shared-secret webhooks (Bubble and generic sources, which cannot sign): the sender puts a
// secret in a header and we compare it in constant time.
import { secretsEqual } from "../encoding.ts";

export const SHARED_SECRET_HEADER = "x-webhook-secret";

/** True when the header carries exactly the configured secret (an empty secret never matches). */
export function verifySharedSecret(
  secret: string | null | undefined,
  header: string | null | undefined,
): boolean {
  if (!secret || header === null || header === undefined) return false;
  return secretsEqual(secret, header);
}
