import { backend_util } from '@tensorflow/tfjs';

export type Conv2DInfo = ReturnType<typeof backend_util.computeConv2DInfo>;
