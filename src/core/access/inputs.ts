// Request hygiene that holds for every operation, whatever its fields: a NUL character in any string
// argument or variable is the caller's error (BAD_USER_INPUT naming the argument) rather than something
// the database refuses later as an internal error; and "Did you mean …?" suggestions (field names, enum
// values, argument names) are shown to analysts only, since they reveal the schema that introspection hides.
import { type ASTVisitor, type DocumentNode, GraphQLError, type ValidationContext, visit } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { isAnalyst } from './scopes.js';
import type { Viewer } from './viewer.js';

const hasNul = (v: unknown, depth = 0): boolean => {
  if (typeof v === 'string') return v.includes('\0');
  if (depth > 50 || !v || typeof v !== 'object') return false;
  return Object.values(v).some((x) => hasNul(x, depth + 1));
};

const nulError = (argument: string, via?: string) =>
  new GraphQLError(
    `The argument ${argument}${via ? ` (variable $${via})` : ''} contains a NUL character (U+0000), which no value may hold.`,
    { extensions: { code: 'BAD_USER_INPUT', argument } },
  );

/** A validation rule: string literals holding NUL (written `\u0000`), named by their argument. */
export function NoNulInLiterals(context: ValidationContext): ASTVisitor {
  const argumentNames: string[] = [];
  return {
    Argument: {
      enter: (node) => {
        argumentNames.push(node.name.value);
      },
      leave: () => {
        argumentNames.pop();
      },
    },
    StringValue(node) {
      if (node.value.includes('\0')) {
        const argument = argumentNames.at(-1) ?? 'value';
        context.reportError(
          new GraphQLError(nulError(argument).message, {
            nodes: [node],
            extensions: { code: 'BAD_USER_INPUT', argument },
          }),
        );
      }
    },
  };
}

/** The first argument a variable is passed to (for the error's `argument`), or the variable's own name. */
function argumentOf(document: DocumentNode, variable: string): string {
  let found: string | undefined;
  visit(document, {
    Argument(node) {
      if (found) return false;
      let uses = false;
      visit(node.value, {
        Variable(v) {
          if (v.name.value === variable) uses = true;
        },
      });
      if (uses) found = node.name.value;
      return undefined;
    },
  });
  return found ?? variable;
}

const SUGGESTION = / ?Did you mean [^?]*\?/g;

function withoutSuggestion<E extends Error>(error: E): E | GraphQLError {
  SUGGESTION.lastIndex = 0;
  if (!(error instanceof GraphQLError) || !SUGGESTION.test(error.message)) return error;
  SUGGESTION.lastIndex = 0;
  return new GraphQLError(error.message.replace(SUGGESTION, '').trim(), {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
}

export function useInputHygiene(viewerOf: (request: Request) => Viewer): Plugin {
  return {
    onValidate({ addValidationRule, context }) {
      addValidationRule(NoNulInLiterals);
      const request = (context as { request?: Request }).request;
      return ({ result, setResult }) => {
        if (request && !isAnalyst(viewerOf(request)) && result.length)
          setResult(result.map((e) => withoutSuggestion(e)));
      };
    },
    onExecute({ args, setResultAndStopExecution }) {
      const variables = args.variableValues ?? {};
      for (const [name, value] of Object.entries(variables)) {
        if (hasNul(value)) {
          setResultAndStopExecution({ errors: [nulError(argumentOf(args.document, name), name)] });
          return undefined;
        }
      }
      const request = (args.contextValue as { request?: Request }).request;
      if (!request || isAnalyst(viewerOf(request))) return undefined;
      return {
        onExecuteDone({ result, setResult }) {
          if (!('errors' in result) || !result.errors?.length) return;
          setResult({ ...result, errors: result.errors.map((e) => withoutSuggestion(e)) });
        },
      };
    },
  };
}
