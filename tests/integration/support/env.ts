/**
 * The servers the suite runs against, started by scripts/test.mjs (or given by the environment).
 * A missing variable is a setup error, not a reason to skip: integration tests never pass silently.
 */
export const requireEnv = (name: 'DATABASE_URL' | 'RABBITMQ_URL' | 'RABBITMQ_MANAGEMENT_URL' | 'REDIS_URL'): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run integration tests through \`npm test\` (scripts/test.mjs starts the servers).`);
  return value;
};
