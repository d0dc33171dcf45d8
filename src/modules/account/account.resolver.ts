import { Length } from 'class-validator';
import { Arg, Args, Authorized, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { BadUserInputError } from '../../errors';
import { updateAudited } from '../audit/audited-write';
import { PageArgs, type Connection } from '../common/connection';
import { parseTypedId } from '../common/global-id';
import { EmailField, IsNotBlank, NameField, VALIDATED } from '../common/validation';
import { Provider } from '../provider/provider.entity';
import { Account, AccountConnection } from './account.entity';
import { AccountRole } from '../common/viewer';
import { createAccount, issueApiKey, revokeApiKey } from './account.commands';
import { ApiKey } from './api-key.entity';
import { isAdmin } from '../common/viewer';

@InputType()
export class CreateAccountInput {
  @NameField({ required: true })
  name!: string;

  @EmailField()
  email?: string | null;

  @Field(() => AccountRole)
  role!: AccountRole;

  @Field(() => ID, { nullable: true, description: 'Required for a PARTNER: the provider it edits.' })
  providerId?: string | null;
}

@InputType()
export class UpdateAccountInput {
  @Field(() => ID)
  id!: string;

  @NameField()
  name?: string | null;

  @EmailField()
  email?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'A disabled account cannot use its keys.' })
  disabled?: boolean | null;
}

@InputType()
export class IssueApiKeyInput {
  @Field(() => ID)
  accountId!: string;

  @Field(() => String, { description: 'What the key is for, e.g. "Website sync".' })
  @IsNotBlank()
  @Length(1, 100)
  label!: string;
}

@InputType()
export class RevokeApiKeyInput {
  @Field(() => ID)
  id!: string;
}

@ObjectType()
export class AccountPayload {
  @Field(() => Account)
  account!: Account;
}

@ObjectType()
export class IssueApiKeyPayload {
  @Field(() => String, { description: 'The whole key. It is shown only now: store it safely; the directory keeps only a hash.' })
  key!: string;

  @Field(() => ApiKey)
  apiKey!: ApiKey;
}

@ObjectType()
export class ApiKeyPayload {
  @Field(() => ApiKey)
  apiKey!: ApiKey;
}

@ObjectType({ description: 'Who the request is made as.' })
export class ViewerInfo {
  @Field(() => AccountRole, { nullable: true, description: 'null for an anonymous request.' })
  role!: AccountRole | null;

  @Field(() => Account, { nullable: true })
  account!: Account | null;
}

@Resolver(() => Account)
export class AccountResolver {
  @Query(() => ViewerInfo, { nullable: true, description: 'Who you are: anonymous, or the account your API key belongs to.' })
  async viewer(@Ctx() { viewer, repos }: Context): Promise<ViewerInfo> {
    if (viewer.kind === 'anonymous') return { role: null, account: null };
    return { role: viewer.role, account: await repos.account.byId.load(viewer.accountId) };
  }

  @Authorized(AccountRole.ADMIN)
  @Query(() => AccountConnection, { nullable: true, description: 'Admins: every account, by name.' })
  accounts(@Args(() => PageArgs) page: PageArgs, @Ctx() { repos }: Context): Promise<Connection<Account>> {
    return repos.account.list(page);
  }

  @FieldResolver(() => Provider, { nullable: true, description: 'The provider a partner account edits.' })
  provider(@Root() account: Account, @Ctx() { repos }: Context): Promise<Provider | null> | null {
    return account.provider ? repos.provider.byId.load(account.provider.id) : null;
  }

  @FieldResolver(() => [ApiKey], { description: "The account's keys, newest first (without their secrets)." })
  apiKeys(@Root() account: Account, @Ctx() { repos }: Context): Promise<ApiKey[]> {
    return repos.account.keysOf(account);
  }

  @Authorized(AccountRole.ADMIN)
  @Mutation(() => AccountPayload, { description: 'Admins: add a partner (for one provider) or admin account.' })
  async createAccount(@Arg('input', () => CreateAccountInput, { validate: VALIDATED }) input: CreateAccountInput, @Ctx() { em, viewer }: Context): Promise<AccountPayload> {
    const providerId = input.providerId ? parseTypedId(input.providerId, 'Provider', 'input.providerId') : null;
    return { account: await createAccount(em, viewer, { ...input, providerId }) };
  }

  @Authorized(AccountRole.ADMIN)
  @Mutation(() => AccountPayload, { description: 'Admins: rename, change the email of, or disable an account.' })
  async updateAccount(@Arg('input', () => UpdateAccountInput, { validate: VALIDATED }) input: UpdateAccountInput, @Ctx() { em, viewer }: Context): Promise<AccountPayload> {
    if (input.name === null) throw new BadUserInputError('input.name', 'cannot be removed.');
    const account = await updateAudited(em, viewer, {
      entity: Account,
      type: 'Account',
      id: input.id,
      authorize: () => undefined,
      apply: (_tx, row) => {
        if (input.name) row.name = input.name.trim();
        if (input.email !== undefined) row.email = input.email;
        if (input.disabled !== undefined && input.disabled !== null) row.disabled = input.disabled;
      },
      snapshot: (a) => ({ name: a.name, email: a.email ?? null, disabled: a.disabled }),
      providerIdOf: (a) => a.provider?.id ?? null,
    });
    return { account };
  }

  @Authorized(AccountRole.ADMIN)
  @Mutation(() => IssueApiKeyPayload, { description: 'Admins: issue a key for an account. The key is in this response only.' })
  issueApiKey(@Arg('input', () => IssueApiKeyInput, { validate: VALIDATED }) input: IssueApiKeyInput, @Ctx() { em, viewer }: Context): Promise<IssueApiKeyPayload> {
    return issueApiKey(em, viewer, parseTypedId(input.accountId, 'Account', 'input.accountId'), input.label);
  }

  @Authorized()
  @Mutation(() => ApiKeyPayload, { description: 'Revoke a key: admins any key, an account its own (e.g. one that leaked).' })
  async revokeApiKey(@Arg('input', () => RevokeApiKeyInput, { validate: VALIDATED }) input: RevokeApiKeyInput, @Ctx() { em, viewer }: Context): Promise<ApiKeyPayload> {
    const id = parseTypedId(input.id, 'ApiKey', 'input.id');
    const own = (key: ApiKey) => viewer.kind === 'account' && key.account.id === viewer.accountId;
    return { apiKey: await revokeApiKey(em, viewer, { id }, (key) => isAdmin(viewer) || own(key)) };
  }
}
