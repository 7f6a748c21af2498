// The original tool filled its cloud-init templates with variables before use: `{{NAME}}`
// or `${NAME}` for PACKAGES, SCRIPTS, SERVICES, UPLOAD_DIRS (YAML lines of its own making),
// SSH_KEY_SECTION and SSH_PUBLIC_KEY. Here the packages, uploads, scripts and services are
// the action's own work, and there is no SSH: a template written for that tool has them
// left empty, so `sudo: ALL=(ALL) NOPASSWD:ALL{{SSH_KEY_SECTION}}` reads as it was meant.

export const ORIGINAL_TEMPLATE_VARIABLES = [
  'PACKAGES',
  'SCRIPTS',
  'SERVICES',
  'UPLOAD_DIRS',
  'SSH_KEY_SECTION',
  'SSH_PUBLIC_KEY',
] as const;

const PLACEHOLDER = new RegExp(
  `\\{\\{(${ORIGINAL_TEMPLATE_VARIABLES.join('|')})\\}\\}|\\$\\{(${ORIGINAL_TEMPLATE_VARIABLES.join('|')})\\}`,
  'g',
);

/** The template's text with the original's placeholders emptied, and the names found. */
export function emptyOriginalPlaceholders(text: string): { text: string; found: string[] } {
  const found = new Set<string>();
  const out = text.replace(PLACEHOLDER, (_m, a?: string, b?: string) => {
    found.add((a ?? b)!);
    return '';
  });
  return { text: out, found: [...found] };
}
