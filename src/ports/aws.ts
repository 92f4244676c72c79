/**
 * Which AWS account and region a request runs against, with the credentials to use. Built by src/aws/accounts
 * (STS AssumeRole with SourceIdentity) or by the sandbox; services pass it to port factories and never look inside
 * `credentials`.
 */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** Same shape as the SDK's AwsCredentialIdentityProvider, without importing the SDK outside src/aws. */
export type CredentialsProvider = () => Promise<AwsCredentials>;

export interface AwsTarget {
  accountName: string; // name from lookout.yml, or 'default'
  accountId?: string;
  region: string;
  credentials?: CredentialsProvider; // undefined: the default chain (Lookout's own credentials)
}

/** Who is acting, for SourceIdentity and tags. */
export interface Actor {
  teamId: string;
  userId: string;
}

/** Resolves a target to a concrete account (assuming roles as needed). */
export interface AwsAccounts {
  target(account: { name: string; roleArn?: string; accountId?: string; region: string }, actor: Actor): Promise<AwsTarget>;
  /** The account id behind Lookout's own credentials or a role (STS GetCallerIdentity), cached. */
  identity(target: AwsTarget): Promise<{ accountId: string; arn: string }>;
}
