import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { printDirectorySchema } from '../schema';

const target = resolve(__dirname, '../../../schema.graphql');

printDirectorySchema()
  .then((text) => {
    writeFileSync(target, text);
    console.log(`wrote ${target}`);
  })
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
