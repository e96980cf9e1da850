/**
 * JSON for an inline <script>: `<` is escaped so no value (a product named `</script>`) can end
 * the script, and U+2028/U+2029 because older parsers treat them as line ends in strings.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
