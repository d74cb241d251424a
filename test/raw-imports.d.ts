// Vite's `?raw` imports: a file's text (used to check the production config in tests).
declare module '*?raw' {
  const text: string
  export default text
}
