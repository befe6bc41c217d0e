import { RedisConfigError } from './errors';

/** A `host:port` pair of a Sentinel or a Cluster node. */
export interface HostPort {
  host: string;
  port: number;
}

/**
 * Where Redis is and how to authenticate: exactly one of `url`, `sentinels` (+ `sentinelMaster`) or
 * `clusterNodes` (SPEC §9), plus optional credentials and TLS for the Sentinel and Cluster cases
 * (a `url` carries its own, `rediss://` meaning TLS).
 */
export interface RedisEndpoint {
  /** A single server: redis:// or rediss:// URL. */
  url?: string | undefined;
  /** Sentinels to ask for the current master. */
  sentinels?: HostPort[] | undefined;
  /** The master's name at the sentinels. */
  sentinelMaster?: string | undefined;
  /** Seed nodes of a Redis Cluster. */
  clusterNodes?: HostPort[] | undefined;
  /** Password of the data nodes (ACL user with `username`). */
  password?: string | undefined;
  username?: string | undefined;
  /** Password of the sentinels, when they require one. */
  sentinelPassword?: string | undefined;
  /** TLS to the data nodes (and the sentinels). */
  tls?: boolean | undefined;
}

const parseHostPort = (value: string): HostPort => {
  const match = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(value.trim());
  if (!match) throw new RedisConfigError(`"${value}" is not host:port`);
  return { host: match[1]!, port: Number(match[2]) };
};

/** Parses `host:port,host:port` (REDIS_SENTINELS, REDIS_CLUSTER_NODES). @throws RedisConfigError */
export const parseHostPorts = (value: string): HostPort[] => {
  const list = value
    .split(',')
    .filter((s) => s.trim())
    .map(parseHostPort);
  if (!list.length) throw new RedisConfigError('needs at least one host:port');
  return list;
};
