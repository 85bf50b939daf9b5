/** Name pools. Non-ASCII names are deliberate: the ETL must carry them intact from API to Postgres. */
export const PEOPLE: readonly string[] = [
  'Mia Krystof', 'José Álvarez', 'Zoë Lindqvist', 'Łukasz Wróbel', 'Ngozi Okafor', 'Søren Kierkegård',
  '山田 太郎', 'Ана Петровић', 'François Lefèvre', 'Ayşe Yılmaz', 'محمد الفارسي', 'Priya Raman',
  'Björn Åkesson', 'Chloé Dubois', 'Dmitri Волков', 'Siobhán Ní Bhriain', 'Kenji Satō', 'Oluwaseun Adé',
  'Eléonore Martin', 'Tomás Ó Ceallaigh', 'Hana Novák', 'Nguyễn Văn An', 'Grace Hopper', 'Linus Berg',
  'Renée Zellweger', 'Jürgen Müller', 'María José Núñez', 'Ingrid Bergström', 'Rafael Nadal', 'Wei Zhang',
];

export const TEAMS: readonly string[] = ['Núcleo', 'Platform', 'Payments', 'Growth', 'Données', 'Mobile', 'Σύστημα', 'Search'];

export const PROJECT_NAMES: readonly (readonly [string, string])[] = [
  ['CORE', 'Core Platform'], ['PAY', 'Paiements & Facturation'], ['MOB', 'Mobile Apps'], ['DATA', 'Données et Analytique'],
  ['WEB', 'Web Storefront'], ['OPS', 'Operations Ñandú'], ['SEC', 'Security Überwachung'], ['API', 'Public API'],
  ['GRW', 'Growth Experiments'], ['INF', 'Infrastructure'], ['SRCH', 'Search Relevance'], ['ML', 'Machine Learning'],
  ['IOS', 'iOS Client'], ['AND', 'Android Client'], ['BILL', 'Billing Engine'], ['AUTH', 'Identity & Auth'],
];

export const VERBS: readonly string[] = [
  'Fix', 'Add', 'Refactor', 'Migrate', 'Investigate', 'Improve', 'Remove', 'Document', 'Optimise', 'Validate',
];

export const OBJECTS: readonly string[] = [
  'checkout flow', 'login page', 'invoice export', 'search ranking', 'café menu rendering', 'naïve retry loop',
  'payment webhook', 'rate limiter', 'CSV importer', 'dashboard widgets', 'notification service', 'Größe field',
  'order history', 'user avatars', 'sprint report', 'audit log', 'token refresh', 'crème brûlée feature flag',
  'data retention job', 'mobile onboarding', 'GraphQL gateway', 'emoji 🎉 handling', '日本語 locale', 'PDF renderer',
];

export const REPO_WORDS: readonly string[] = [
  'api', 'web', 'mobile', 'billing', 'search', 'auth', 'infra', 'etl', 'design-system', 'docs', 'gateway',
  'notifications', 'payments', 'analytics', 'worker', 'cli', 'sdk', 'admin', 'ml-models', 'terraform',
];

export const COMMENT_BODIES: readonly string[] = [
  'Looks good to me 👍', 'Could we add a test for the empty case?', 'Nit: rename this variable.',
  'Ça marche, merci !', 'Why not reuse the existing helper?', 'LGTM after the CI fix.',
  'This breaks the naïve path when the list is empty.', 'Bitte noch die Doku anpassen.',
  'Can you split this PR? It is hard to review.', 'Approved, ship it 🚀', 'どうしてこの変更が必要ですか？',
];

/** A login derived from a display name: ASCII only, as GitHub logins are. */
export function loginOf(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return ascii.length >= 3 ? ascii : `user-${Buffer.from(name).toString('hex').slice(0, 8)}`;
}
