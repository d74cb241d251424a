/**
 * Which way src/ may depend (`npm run deps`, part of `npm test`). Layers, lowest first:
 * shared/ (pure helpers, infrastructure such as the remote fetcher) ← db/ (schema, client) ←
 * features ← the entry points (index.ts, app.ts, queues.ts, scheduled.ts). A module never
 * imports a route module: routes are leaves that app.ts mounts.
 */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', comment: 'Modules must not import each other in a circle.', from: {}, to: { circular: true } },
    {
      name: 'shared-is-the-base',
      severity: 'error',
      comment: 'src/shared/ holds helpers every feature may use; it imports nothing above it.',
      from: { path: '^src/shared/' },
      to: { path: '^src/', pathNot: '^src/shared/' },
    },
    {
      name: 'db-builds-on-shared-only',
      severity: 'error',
      comment: 'src/db/ (schema, client, metering) imports only src/shared/.',
      from: { path: '^src/db/' },
      to: { path: '^src/', pathNot: '^src/(db|shared)/' },
    },
    {
      name: 'entry-points-are-tops',
      severity: 'error',
      comment: 'Only the Worker entry imports the app, queue and cron handlers.',
      from: { pathNot: ['^src/index\\.ts$', '\\.d\\.ts$'] },
      to: { path: '^src/(app|index|queues|scheduled)\\.ts$' },
    },
    {
      name: 'routes-are-leaves',
      severity: 'error',
      comment: 'Route modules are mounted by app.ts (or a feature router); nothing else imports them.',
      from: { path: '^src/', pathNot: ['^src/app\\.ts$', 'routes\\.tsx?$'] },
      to: { path: 'routes\\.tsx?$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '^src/embed/client/' },
  },
}
