/** Options of the session cookies (staff and partners): `__Host-` names need Secure, Path=/ and no Domain. */
export const SESSION_COOKIE_OPTIONS = { path: '/', secure: true, httpOnly: true, sameSite: 'Strict' } as const
