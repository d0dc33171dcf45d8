import { GraphQLScalarType } from 'graphql';
import { GraphQLURL } from 'graphql-scalars';

/**
 * graphql-scalars' `URL`, except that an address is sent exactly as it is
 * stored. Its own serialize rewrites every value through `new URL()`, so
 * `https://www.ageuk.org.uk` went out as `https://www.ageuk.org.uk/`: a
 * partner page that saves the contact it read then wrote an address the
 * partner never typed, and the history showed a change nobody made. A stored
 * value that is not a URL still fails (and is masked, see errors.test.ts).
 */
export const WebAddress = new GraphQLScalarType({
  ...GraphQLURL.toConfig(),
  serialize(value) {
    const address = String(value);
    new URL(address);
    return address;
  },
});
