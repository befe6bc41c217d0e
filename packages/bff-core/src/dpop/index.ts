export {
  DPOP_ALGORITHM,
  type DpopKeyMaterial,
  type DpopSigner,
  dpopKeySchema,
  dpopSigner,
  generateDpopKey,
} from './dpop-key';
