import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';

/** One playground tab: a README example, under the heading it is in, with the variables the README gives after it. */
export interface ReadmeExample {
  heading: string;
  query: string;
  variables?: string;
}

/**
 * The README's ```graphql blocks, in README order: the same reading as
 * test/readme-examples.test.ts (which runs each of them), so the playground
 * opens with exactly the operations the README shows and the tests run.
 */
export function readmeExamples(readme: string): ReadmeExample[] {
  const examples: ReadmeExample[] = [];
  for (const match of readme.matchAll(/```graphql\n([\s\S]*?)```/g)) {
    const end = match.index + match[0].length;
    const heading = [...readme.slice(0, match.index).matchAll(/^#+ (.+)$/gm)].pop()?.[1] ?? 'Example';
    // The variables, if any, are given in the prose before the next code block: "with `{...}`".
    const next = readme.indexOf('```', end);
    const given = /^with `(\{.*\})`/m.exec(readme.slice(end, next === -1 ? undefined : next));
    examples.push({
      heading,
      query: `# ${heading}\n${match[1].trimEnd()}`,
      variables: given ? JSON.stringify(JSON.parse(given[1]), null, 2) : undefined,
    });
  }
  return examples;
}

const ID = 'virtual:readme-examples';
const RESOLVED = `\0${ID}`;

/** `import examples from 'virtual:readme-examples'`: the README's examples, read at build time (and again when the README changes under `vite dev`). */
export function readmeExamplesPlugin(readmePath: string): Plugin {
  return {
    name: 'readme-examples',
    resolveId: (id) => (id === ID ? RESOLVED : undefined),
    load(id) {
      if (id !== RESOLVED) return undefined;
      this.addWatchFile(readmePath);
      const examples = readmeExamples(readFileSync(readmePath, 'utf8'));
      if (examples.length === 0) this.error(`${readmePath} has no \`\`\`graphql block for the playground to open with.`);
      return `export default ${JSON.stringify(examples)};\n`;
    },
  };
}
