/** The template's syntax tree: the node kinds of Jinja2's nodes.py that dbt templates use. */

export interface CallArgs {
  args: Expr[];
  kwargs: { key: string; value: Expr }[];
  dynArgs: Expr | null;
  dynKwargs: Expr | null;
}

export type Expr =
  | { kind: 'const'; value: unknown; line: number }
  | NameNode
  | { kind: 'nsref'; name: string; attr: string; line: number }
  | { kind: 'tuple'; items: Expr[]; line: number }
  | { kind: 'list'; items: Expr[]; line: number }
  | { kind: 'dict'; items: { key: Expr; value: Expr }[]; line: number }
  | { kind: 'condexpr'; test: Expr; expr1: Expr; expr2: Expr | null; line: number }
  | { kind: 'binop'; op: BinaryOperator; left: Expr; right: Expr; line: number }
  | { kind: 'and' | 'or'; left: Expr; right: Expr; line: number }
  | { kind: 'not' | 'neg' | 'pos'; node: Expr; line: number }
  | { kind: 'concat'; nodes: Expr[]; line: number }
  | { kind: 'compare'; expr: Expr; ops: { op: CompareOperator; expr: Expr }[]; line: number }
  | { kind: 'getattr'; node: Expr; attr: string; line: number }
  | { kind: 'getitem'; node: Expr; arg: Expr; line: number }
  | { kind: 'slice'; start: Expr | null; stop: Expr | null; step: Expr | null; line: number }
  | CallNode
  | FilterNode
  | ({ kind: 'test'; node: Expr; name: string; line: number } & CallArgs);

export interface NameNode {
  kind: 'name';
  name: string;
  ctx: 'load' | 'store' | 'param';
  line: number;
}

export type CallNode = { kind: 'call'; node: Expr; line: number } & CallArgs;

/** `node` is null for the filter of a `{% filter %}` block or `{% set x | f %}`: it applies to the body. */
export type FilterNode = { kind: 'filter'; node: Expr | null; name: string; line: number } & CallArgs;

export type BinaryOperator = '+' | '-' | '*' | '/' | '//' | '%' | '**';
export type CompareOperator = 'eq' | 'ne' | 'lt' | 'lteq' | 'gt' | 'gteq' | 'in' | 'notin';

/** An assignment target: a name, `ns.attr`, or a tuple of them. */
export type Target = Expr;

export interface MacroNode {
  kind: 'macro';
  name: string;
  args: NameNode[];
  defaults: Expr[];
  body: Stmt[];
  line: number;
}

export type Stmt =
  | { kind: 'output'; nodes: (Expr | { kind: 'data'; data: string; line: number })[]; line: number }
  | { kind: 'if'; test: Expr; body: Stmt[]; elifs: { test: Expr; body: Stmt[]; line: number }[]; else_: Stmt[]; line: number }
  | {
      kind: 'for';
      target: Target;
      iter: Expr;
      body: Stmt[];
      else_: Stmt[];
      test: Expr | null;
      recursive: boolean;
      line: number;
    }
  | MacroNode
  | { kind: 'callblock'; call: CallNode; args: NameNode[]; defaults: Expr[]; body: Stmt[]; line: number }
  | { kind: 'filterblock'; filter: FilterNode; body: Stmt[]; line: number }
  | { kind: 'with'; targets: Target[]; values: Expr[]; body: Stmt[]; line: number }
  | { kind: 'assign'; target: Target; node: Expr; line: number }
  | { kind: 'assignblock'; target: Target; filter: FilterNode | null; body: Stmt[]; line: number }
  | { kind: 'exprstmt'; node: Expr; line: number }
  | { kind: 'break' | 'continue'; line: number };

export interface TemplateAst {
  body: Stmt[];
  fileName: string;
}
