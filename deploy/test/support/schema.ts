import * as apps from 'kubernetes-models/apps/v1';
import * as autoscaling from 'kubernetes-models/autoscaling/v2';
import * as networking from 'kubernetes-models/networking.k8s.io/v1';
import * as policy from 'kubernetes-models/policy/v1';
import * as core from 'kubernetes-models/v1';
import type { K8sObject } from './render';

type Model = new (data: object) => { validate(): void };

/** The kubernetes-models classes of every API group our manifests use, by apiVersion. */
const GROUPS: Record<string, Record<string, unknown>> = {
  v1: core,
  'apps/v1': apps,
  'autoscaling/v2': autoscaling,
  'networking.k8s.io/v1': networking,
  'policy/v1': policy,
};

/**
 * Validates one object against the Kubernetes OpenAPI schema (kubernetes-models): types, required
 * fields, enums, formats. Throws naming the object when it does not pass, or when its kind is unknown.
 */
export function validateObject(object: K8sObject): void {
  const Model = GROUPS[object.apiVersion]?.[object.kind] as Model | undefined;
  if (!Model) throw new Error(`no schema for ${object.apiVersion} ${object.kind} (${object.metadata?.name})`);
  try {
    new Model(object).validate();
  } catch (error) {
    throw new Error(`${object.kind} ${object.metadata.name} fails the schema: ${(error as Error).message}`);
  }
}
