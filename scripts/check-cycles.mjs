#!/usr/bin/env node
/**
 * Fails when src/ has an import cycle, between files or between folders (each directory one node),
 * or when the domain (src/capture/**) imports anything outside itself. Imports are resolved by the
 * TypeScript compiler with the project's own settings; type-only imports count too, because a type
 * import is as much a dependency for a reader as a value import.
 */
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'src');
const domainDir = join(srcDir, 'capture');

function compilerOptions(tsconfigPath) {
  const { config } = ts.readConfigFile(tsconfigPath, ts.sys.readFile);
  return ts.parseJsonConfigFileContent(config, ts.sys, dirname(tsconfigPath)).options;
}

// The browser console has its own tsconfig; every other file resolves with the root one.
const consoleDir = join(srcDir, 'console', 'app');
const rootOptions = compilerOptions(join(root, 'tsconfig.json'));
const consoleOptions = compilerOptions(join(consoleDir, 'tsconfig.json'));

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function specifiers(file) {
  const text = ts.sys.readFile(file) ?? '';
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const visit = (node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
      node.arguments.length === 1 &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const literal = node.argument.literal;
      if (ts.isStringLiteral(literal)) found.push(literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const files = sourceFiles(srcDir);
const fileSet = new Set(files);
/** file -> the files of src/ it imports */
const graph = new Map();
for (const file of files) {
  const options = file.startsWith(consoleDir + sep) ? consoleOptions : rootOptions;
  const targets = new Set();
  for (const spec of specifiers(file)) {
    const resolved = ts.resolveModuleName(spec, file, options, ts.sys).resolvedModule;
    const target = resolved && resolve(resolved.resolvedFileName);
    if (target && fileSet.has(target) && target !== file) targets.add(target);
  }
  graph.set(file, targets);
}

/** Tarjan's strongly connected components: every component of more than one node holds a cycle. */
function cycles(edges) {
  let index = 0;
  const stack = [];
  const info = new Map();
  const components = [];
  const connect = (node) => {
    info.set(node, { index, low: index, onStack: true });
    index += 1;
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (!info.has(next)) {
        connect(next);
        info.get(node).low = Math.min(info.get(node).low, info.get(next).low);
      } else if (info.get(next).onStack) {
        info.get(node).low = Math.min(info.get(node).low, info.get(next).index);
      }
    }
    if (info.get(node).low === info.get(node).index) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        info.get(member).onStack = false;
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const node of edges.keys()) if (!info.has(node)) connect(node);
  return components;
}

/** One concrete loop inside a component, for a message a reader can follow. */
function loopIn(component, edges) {
  const members = new Set(component);
  const start = component[0];
  const previous = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift();
    for (const next of edges.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [];
        for (let step = node; step !== null; step = previous.get(step)) path.unshift(step);
        return [...path, start];
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return component;
}

const name = (path) => relative(root, path).split(sep).join('/') || '.';
const problems = [];

for (const component of cycles(graph)) {
  problems.push(
    `file cycle among ${component.length} files: ${loopIn(component, graph).map(name).join(' -> ')}`,
  );
}

const folderGraph = new Map();
const folderWitness = new Map();
for (const [file, targets] of graph) {
  const from = dirname(file);
  if (!folderGraph.has(from)) folderGraph.set(from, new Set());
  for (const target of targets) {
    const to = dirname(target);
    if (to === from) continue;
    folderGraph.get(from).add(to);
    if (!folderWitness.has(`${from}>${to}`)) folderWitness.set(`${from}>${to}`, [file, target]);
  }
}
for (const component of cycles(folderGraph)) {
  const loop = loopIn(component, folderGraph);
  const steps = loop.slice(1).map((to, i) => {
    const [file, target] = folderWitness.get(`${loop[i]}>${to}`);
    return `  ${name(loop[i])} -> ${name(to)} (${name(file)} imports ${name(target)})`;
  });
  // Folders that import each other directly are the first thing to untangle: name them all.
  const members = new Set(component);
  const mutual = [...members].flatMap((from) =>
    [...folderGraph.get(from)]
      .filter((to) => members.has(to) && from < to && folderGraph.get(to)?.has(from))
      .map((to) => `  ${name(from)} <-> ${name(to)}`),
  );
  problems.push(
    `folder cycle among ${component.map(name).join(', ')}:\n${steps.join('\n')}` +
      (mutual.length > 0 ? `\n  folders importing each other:\n${mutual.join('\n')}` : ''),
  );
}

for (const [file, targets] of graph) {
  if (!file.startsWith(domainDir + sep)) continue;
  for (const target of targets) {
    if (!target.startsWith(domainDir + sep)) {
      problems.push(`the domain imports from outside src/capture: ${name(file)} imports ${name(target)}`);
    }
  }
}

if (problems.length > 0) {
  process.stderr.write(`${problems.join('\n')}\ncheck-cycles: ${problems.length} problem(s) in src/\n`);
  process.exit(1);
}
process.stdout.write(
  `check-cycles: ${files.length} files in src/, no import cycle, the domain imports only itself\n`,
);
