/** The public page of an official response (route: src/responses/routes.tsx). */
export const responsePageUrl = (hubOrigin: string, responseId: string) => `${hubOrigin}/responses/${encodeURIComponent(responseId)}`
