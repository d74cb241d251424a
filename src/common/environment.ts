/** Whether the hub runs locally (`ENVIRONMENT=development`: `npm run dev`, the tests, the bench) rather than deployed. */
export const isDevelopment = (env: { ENVIRONMENT?: string | undefined }) => env.ENVIRONMENT === 'development'
