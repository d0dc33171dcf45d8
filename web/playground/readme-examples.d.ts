/** The README's ```graphql examples, made at build time by web/readme-examples.mts (its `ReadmeExample`). */
declare module 'virtual:readme-examples' {
  const examples: Array<{ heading: string; query: string; variables?: string }>;
  export default examples;
}
