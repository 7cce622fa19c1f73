/**
 * The DAG as data: which Airflow tasks exist, what each runs, and the edges between
 * them. Pure, so unit tests assert on it without reading Python.
 */
import { TspipeError } from '../errors.js';
import { assignTaskIds, compare, type TaskIdRequest } from './airflow-task-ids.js';

export const TEST_BEHAVIORS = ['after_each', 'after_all', 'none'] as const;
export type TestBehavior = (typeof TEST_BEHAVIORS)[number];

export interface AirflowDagNode {
  uniqueId: string;
  name: string;
  resourceType: 'seed' | 'model' | 'snapshot' | 'test';
  /** uniqueIds among the nodes (seeds and models). */
  dependsOn: string[];
  /** Tests: the uniqueId of the seed or model they test. */
  attachedNode?: string;
  /** A microbatch model: its task gets the DAG run's data interval as its batch window. */
  microbatch?: boolean;
}

export interface AirflowTask {
  taskId: string;
  verb: 'seed' | 'run' | 'snapshot' | 'test';
  /** What `--select` gets: a node name, or space-separated test names; null runs every test. */
  select: string | null;
  /** Runs with --event-time-start/--event-time-end from Airflow's data interval. */
  dataInterval?: true;
}

export interface AirflowTaskPlan {
  /** Sorted by task id. */
  tasks: AirflowTask[];
  /** [upstream, downstream] task ids, sorted. */
  edges: [string, string][];
}

interface PlannedTask extends TaskIdRequest {
  verb: AirflowTask['verb'];
  select: string | null;
  upstream: Set<string>;
  dataInterval?: boolean;
}

export function planAirflowTasks(nodes: readonly AirflowDagNode[], testBehavior: TestBehavior): AirflowTaskPlan {
  const byId = indexNodes(nodes);
  const builds = nodes.filter((n) => n.resourceType !== 'test');
  const planned: PlannedTask[] = builds.map((node) => ({
    key: node.uniqueId,
    name: node.name,
    verb: node.resourceType === 'seed' ? 'seed' : node.resourceType === 'snapshot' ? 'snapshot' : 'run',
    select: node.name,
    upstream: new Set(node.dependsOn),
    dataInterval: node.microbatch === true,
  }));
  const tests = nodes.filter((n) => n.resourceType === 'test');
  if (testBehavior === 'after_each') planned.push(...testsAfterEach(tests, byId));
  if (testBehavior === 'after_all' && tests.length > 0) planned.push(testsAfterAll(builds));

  const ids = assignTaskIds(planned);
  const tasks = planned
    .map((t): AirflowTask => ({ taskId: ids.get(t.key)!, verb: t.verb, select: t.select, ...(t.dataInterval ? { dataInterval: true } : {}) }))
    .sort((a, b) => compare(a.taskId, b.taskId));
  const edges = planned
    .flatMap((t) => [...t.upstream].map((up): [string, string] => [ids.get(up)!, ids.get(t.key)!]))
    .sort((a, b) => compare(a[0], b[0]) || compare(a[1], b[1]));
  return { tasks, edges };
}

function indexNodes(nodes: readonly AirflowDagNode[]): Map<string, AirflowDagNode> {
  const byId = new Map<string, AirflowDagNode>();
  for (const node of nodes) {
    if (byId.has(node.uniqueId)) throw new TspipeError(`Airflow DAG: node ${node.uniqueId} is listed twice`);
    byId.set(node.uniqueId, node);
  }
  for (const node of nodes) {
    for (const dep of [...node.dependsOn, ...(node.attachedNode ? [node.attachedNode] : [])]) {
      const target = byId.get(dep);
      if (!target || target.resourceType === 'test') {
        throw new TspipeError(`Airflow DAG: ${node.uniqueId} depends on ${dep}, which is not a seed or model of the DAG`, {
          model: node.name,
          hint: 'pass every seed and model the selected nodes depend on (ephemeral models and sources are not tasks)',
        });
      }
    }
  }
  return byId;
}

/**
 * One task per tested node, plus one per test tied to no node. A task selects its
 * tests by name: `test --select <node>` would also pull in (eagerly) every test that
 * merely reads the node, e.g. a relationships test on a model not built yet.
 */
function testsAfterEach(tests: AirflowDagNode[], byId: Map<string, AirflowDagNode>): PlannedTask[] {
  const groups = new Map<string, PlannedTask & { names: Set<string> }>();
  for (const test of tests) {
    const subject = test.attachedNode ? byId.get(test.attachedNode)! : test;
    const key = `test:${subject.uniqueId}`;
    let task = groups.get(key);
    if (!task) {
      task = { key, name: `test_${subject.name}`, verb: 'test', select: null, upstream: new Set(), names: new Set() };
      groups.set(key, task);
    }
    task.names.add(test.name);
    // A relationships test reads two models: wait for both, not only the tested one.
    for (const dep of [...test.dependsOn, ...(test.attachedNode ? [test.attachedNode] : [])]) task.upstream.add(dep);
  }
  return [...groups.values()].map(({ names, ...task }) => ({ ...task, select: [...names].sort(compare).join(' ') }));
}

/** One `test` task after the whole graph: waiting for the sinks waits for everything. */
function testsAfterAll(builds: AirflowDagNode[]): PlannedTask {
  const hasDownstream = new Set(builds.flatMap((n) => n.dependsOn));
  const sinks = builds.filter((n) => !hasDownstream.has(n.uniqueId)).map((n) => n.uniqueId);
  return { key: 'tspipe:test_all', name: 'test_all', verb: 'test', select: null, upstream: new Set(sinks) };
}
