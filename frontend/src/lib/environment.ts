// Environments: a connection's label such as Sandbox or Production. Production
// gets a badge wherever a connection is named, and changes involving it ask
// first.

/** Whether an environment label means production ("Production", "prod", "PROD-EU"). */
export function isProduction(env: string | null | undefined): boolean {
  return (env ?? '').trim().toLowerCase().startsWith('prod');
}

/** "Sandbox · Billing API", or the name alone without an environment. */
export function environmentAndName(c: { name: string; environment: string }): string {
  return c.environment ? `${c.environment} · ${c.name}` : c.name;
}
