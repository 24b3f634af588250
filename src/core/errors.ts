// Typed GraphQL errors: what the caller did wrong, with a machine-readable code and the argument at fault.
import { GraphQLError } from 'graphql';

export class UserInputError extends GraphQLError {
  constructor(message: string, argument?: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code: 'BAD_USER_INPUT', ...(argument ? { argument } : {}), ...extra } });
  }
}

export class ForbiddenError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
  }
}
