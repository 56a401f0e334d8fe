// Frees memory during the backward pass as soon as nothing needs it any more.
//
// tfjs' backward pass (tape.ts backpropagateGradients, inside one tidy) keeps two things until the
// whole pass ends: the accumulated gradient of every intermediate tensor, and every tensor a node
// saved for its gradient. A node is the only one to read the gradient of its outputs and its own
// saved tensors, and nodes are visited in reverse order once each, so both can go as soon as the
// walk moves on to the next node. Measured on ViT-B/16 (64 px, one image pair, wasm), the tensors
// held at the end of the backward pass were 2.97 GB against 1.31 GB of weights, Adam's moments and
// gradients: the difference is what this returns early.
//
// The backward loop is internal to tfjs, so this works at the two engine methods around it:
// `addTapeNode` (each node's gradient function is wrapped) and `gradients` (a top-level backward
// pass is marked). When a wrapped node's gradient runs, the node visited just before it is done:
// its output gradients and saved tensors are disposed then. The first node of a pass is y's, whose
// gradient may be the caller's own `dy`: it is left alone. Higher-order gradients (a backward pass
// inside another) keep tfjs' own behaviour.
import * as tf from '@tensorflow/tfjs';

type GradientFunction = (dys: (tf.Tensor | null)[]) => Record<string, () => tf.Tensor>;

interface TapeNode {
  saved?: tf.Tensor[];
  gradient?: GradientFunction;
}

interface EngineInternals {
  state: { gradientDepth: number; activeTape: TapeNode[] | null };
  addTapeNode(kernelName: string, ...rest: unknown[]): void;
  gradients(f: () => tf.Tensor, xs: tf.Tensor[], dy?: tf.Tensor, allowNoGradients?: boolean): unknown;
}

interface Pass {
  /** The next node visited is y's own: its dy may belong to the caller. */
  atFirstNode: boolean;
  /** What the node visited last leaves behind, disposed when the next node starts. */
  done: tf.Tensor[];
}

let installed = false;
let enabled = true;

/**
 * Turns the early freeing off (tfjs' own behaviour) or on again, e.g. to compare the two; returns
 * the previous setting.
 */
export function setLeanBackprop(on: boolean): boolean {
  const previous = enabled;
  enabled = on;
  return previous;
}

/** Installs the early freeing on the tfjs engine (idempotent; initEngine calls it). */
export function installLeanBackprop(): void {
  if (installed) return;
  const engine = tf.engine() as unknown as EngineInternals;
  let pass: Pass | null = null;
  const finishNode = () => {
    if (!pass) return;
    for (const tensor of pass.done) tensor.dispose(); // a no-op for tensors already disposed
    pass.done = [];
  };

  const addTapeNode = engine.addTapeNode.bind(engine);
  engine.addTapeNode = (kernelName: string, ...rest: unknown[]) => {
    addTapeNode(kernelName, ...rest);
    const tape = engine.state.activeTape;
    const node = tape?.[tape.length - 1];
    const inner = node?.gradient;
    if (!node || !inner) return;
    node.gradient = (dys) => {
      // Only in the top-level pass itself: not in a nested pass run inside its forward function.
      if (!pass || engine.state.gradientDepth > 0) return inner(dys);
      finishNode();
      const outputGradients = pass.atFirstNode ? [] : dys.filter((dy): dy is tf.Tensor => dy != null);
      pass.atFirstNode = false;
      const thunks = inner(dys);
      pass.done = [...outputGradients, ...(node.saved ?? [])];
      return thunks;
    };
  };

  const gradients = engine.gradients.bind(engine);
  engine.gradients = (f, xs, dy, allowNoGradients) => {
    // Nested passes (higher-order gradients) need the tape intact, as tfjs leaves it.
    if (!enabled || engine.state.gradientDepth > 0 || pass) return gradients(f, xs, dy, allowNoGradients);
    pass = { atFirstNode: true, done: [] };
    try {
      return gradients(f, xs, dy, allowNoGradients);
    } finally {
      finishNode();
      pass = null;
    }
  };
  installed = true;
}
