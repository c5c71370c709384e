// esbuild's 'text' loader (scripts/build.mjs) turns an imported .css file into its text.
declare module '*.css' {
  const text: string;
  export default text;
}
