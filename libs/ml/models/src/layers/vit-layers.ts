import { tf } from '@ovus/ml-engine';

// The ViT pieces tfjs-layers lacks. Weight names follow the `vit-keras` package ("cls",
// "pos_embedding", "query/kernel", ...) so a converted ViT-B/16 checkpoint loads by name.

type Shape = (number | null)[];

function single(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? inputs[0] : inputs;
}

function singleShape(inputShape: Shape | Shape[]): Shape {
  return Array.isArray(inputShape[0]) ? (inputShape[0] as Shape) : (inputShape as Shape);
}

/** Prepends a learned class token: [batch, n, d] → [batch, n + 1, d]. */
export class ClassToken extends tf.layers.Layer {
  static className = 'ClassToken';
  private cls: tf.LayerVariable | null = null;

  override build(inputShape: Shape | Shape[]): void {
    const hidden = singleShape(inputShape)[2] as number;
    this.cls = this.addWeight('cls', [1, 1, hidden], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [batch, tokens, hidden] = singleShape(inputShape);
    return [batch, tokens === null ? null : tokens + 1, hidden];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      const cls = (this.cls as tf.LayerVariable).read();
      return tf.concat([tf.broadcastTo(cls, [x.shape[0], 1, x.shape[2] as number]), x], 1);
    });
  }
}

/** Adds a learned position embedding of shape [1, tokens, d]. */
export class AddPositionEmbedding extends tf.layers.Layer {
  static className = 'AddPositionEmbedding';
  private positions: tf.LayerVariable | null = null;

  override build(inputShape: Shape | Shape[]): void {
    const [, tokens, hidden] = singleShape(inputShape);
    this.positions = this.addWeight(
      'pos_embedding',
      [1, tokens as number, hidden as number],
      'float32',
      tf.initializers.truncatedNormal({ stddev: 0.02 }),
    );
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.add(single(inputs), (this.positions as tf.LayerVariable).read()));
  }
}

export interface MultiHeadSelfAttentionArgs {
  heads: number;
  name?: string;
}

/** Multi-head self-attention with separate query/key/value/out projections (as in vit-keras). */
export class MultiHeadSelfAttention extends tf.layers.Layer {
  static className = 'MultiHeadSelfAttention';
  readonly heads: number;
  private projections: Record<'query' | 'key' | 'value' | 'out', [tf.LayerVariable, tf.LayerVariable]> | null =
    null;

  constructor(args: MultiHeadSelfAttentionArgs) {
    super({ name: args.name });
    this.heads = args.heads;
  }

  override build(inputShape: Shape | Shape[]): void {
    const hidden = singleShape(inputShape)[2] as number;
    if (hidden % this.heads !== 0) {
      throw new RangeError(`Attention width ${hidden} is not divisible by ${this.heads} heads.`);
    }
    const make = (part: string): [tf.LayerVariable, tf.LayerVariable] => [
      this.addWeight(`${part}/kernel`, [hidden, hidden], 'float32', tf.initializers.glorotUniform({})),
      this.addWeight(`${part}/bias`, [hidden], 'float32', tf.initializers.zeros()),
    ];
    this.projections = { query: make('query'), key: make('key'), value: make('value'), out: make('out') };
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs) as tf.Tensor3D;
      const [batch, tokens, hidden] = x.shape;
      const headDim = hidden / this.heads;
      const p = this.projections as NonNullable<typeof this.projections>;
      const flat = tf.reshape<tf.Rank.R2>(x, [batch * tokens, hidden]);
      const project = (part: keyof typeof p, input: tf.Tensor2D): tf.Tensor2D =>
        tf.add(tf.matMul(input, p[part][0].read() as tf.Tensor2D), p[part][1].read());
      // [batch*tokens, hidden] → [batch, heads, tokens, headDim]
      const split = (t: tf.Tensor2D): tf.Tensor4D =>
        tf.transpose(tf.reshape(t, [batch, tokens, this.heads, headDim]), [0, 2, 1, 3]);
      const q = split(project('query', flat));
      const k = split(project('key', flat));
      const v = split(project('value', flat));
      const weights = tf.softmax(tf.div(tf.matMul(q, k, false, true), Math.sqrt(headDim)));
      const attended = tf.transpose(tf.matMul(weights, v), [0, 2, 1, 3]);
      const merged = tf.reshape<tf.Rank.R2>(attended, [batch * tokens, hidden]);
      return tf.reshape(project('out', merged), [batch, tokens, hidden]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), heads: this.heads };
  }
}

export interface TokenPoolingArgs {
  mode: 'token' | 'avg' | 'max';
  name?: string;
}

/** [batch, 1 + patches, d] → [batch, d]: the class token, or the mean / max over patch tokens. */
export class TokenPooling extends tf.layers.Layer {
  static className = 'TokenPooling';
  readonly mode: TokenPoolingArgs['mode'];

  constructor(args: TokenPoolingArgs) {
    super({ name: args.name });
    this.mode = args.mode;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [batch, , hidden] = singleShape(inputShape);
    return [batch, hidden];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs) as tf.Tensor3D;
      const [batch, tokens, hidden] = x.shape;
      if (this.mode === 'token') return tf.reshape(tf.slice(x, [0, 0, 0], [batch, 1, hidden]), [batch, hidden]);
      const patches = tf.slice(x, [0, 1, 0], [batch, tokens - 1, hidden]);
      return this.mode === 'max' ? tf.max(patches, 1) : tf.mean(patches, 1);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), mode: this.mode };
  }
}

tf.serialization.registerClass(TokenPooling);
tf.serialization.registerClass(ClassToken);
tf.serialization.registerClass(AddPositionEmbedding);
tf.serialization.registerClass(MultiHeadSelfAttention);
