// OpenID Connect test provider for py-identity-model's integration tests.
//
// Runs the OpenID-certified `oidc-provider` (pinned in package.json) on 127.0.0.1 with every
// feature the client library exercises. Everything lives in memory: a restart forgets all
// tokens, sessions and dynamically registered clients; the signing keys are fixed (keys.json).
//
// Environment:
//   OP_PORT         port to listen on (required); the issuer is http://127.0.0.1:<OP_PORT>
//   OP_DPOP_NONCE   "1" makes every DPoP proof require a server-provided nonce (requireNonce)
//   OP_DEBUG        "1" logs each request and every error answered to a client to stderr
//   OP_EXIT_WITH_STDIN "1" also stops the server when stdin reaches EOF (parent process gone)
//   OP_TLS_CERT, OP_TLS_KEY  PEM files of a server certificate for 127.0.0.1: serve HTTPS (the issuer
//                   is then https://127.0.0.1:<OP_PORT>) with mTLS (RFC 8705) enabled; see "TLS mode"
//   OP_TLS_CLIENT_CA PEM file of the CA whose client certificates tls_client_auth trusts
//   OP_MTLS_PORT    port of the second HTTPS listener, which asks for client certificates and serves
//                   the mtls_endpoint_aliases
//   OP_EXTRA_CLIENTS a JSON file {"clients": [...]} of further static clients (the mTLS clients,
//                   whose certificates the test harness makes for each run)
//
// Protocol with the test harness (tests/provider/fixture.py): once listening, exactly one JSON
// line is written to stdout: {"ready": true, "issuer": "...", "port": N, "dpop_nonce": bool}
// (and "mtls_port": N in TLS mode).
// SIGTERM / SIGINT close the server and exit with status 0.

import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { isIP } from 'node:net';
import { createLocalJWKSet, jwtVerify } from 'jose';
import Provider, { errors } from 'oidc-provider';
// Internal helpers of the pinned oidc-provider version, used by the token-exchange grant so that
// it gets the same DPoP handling as the built-in grants. The exact version pin keeps these paths
// stable; re-check them when upgrading oidc-provider.
import validateDpop from 'oidc-provider/lib/helpers/validate_dpop.js';
import { applyDpopBinding } from 'oidc-provider/lib/helpers/grant_common.js';
import { checkDpopRequired } from 'oidc-provider/lib/helpers/sender_constraints.js';

const here = (name) => new URL(name, import.meta.url);
const readJson = (name) => JSON.parse(readFileSync(here(name), 'utf8'));

const port = Number.parseInt(process.env.OP_PORT ?? '', 10);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error('OP_PORT must be set to a TCP port number');
  process.exit(2);
}
const dpopNonce = process.env.OP_DPOP_NONCE === '1';
const debug = process.env.OP_DEBUG === '1';
// TLS mode (OP_TLS_CERT + OP_TLS_KEY): HTTPS on OP_PORT, and on OP_MTLS_PORT a listener that asks
// for client certificates; the mTLS endpoint aliases (RFC 8705 §5) point at it.
const tlsOptions = process.env.OP_TLS_CERT
  ? { cert: readFileSync(process.env.OP_TLS_CERT), key: readFileSync(process.env.OP_TLS_KEY) }
  : undefined;
const mtlsPort = tlsOptions ? Number.parseInt(process.env.OP_MTLS_PORT ?? '', 10) : undefined;
if (tlsOptions && !(Number.isInteger(mtlsPort) && mtlsPort > 0 && mtlsPort <= 65535)) {
  console.error('OP_MTLS_PORT must be set to a TCP port number in TLS mode');
  process.exit(2);
}
const issuer = `${tlsOptions ? 'https' : 'http'}://127.0.0.1:${port}`;

// ---------------------------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------------------------

// Provider signing keys (private JWKs): RSA 2048 (RS256 + PS256), EC P-256 (ES256),
// Ed25519 (EdDSA / Ed25519). None carries an `alg`, so the RSA key serves both RSA algorithms.
const providerKeys = readJson('keys.json');
// Client key pairs for private_key_jwt / signed request objects / DPoP; the provider only ever
// sees their public halves.
const clientKeys = readJson('client-keys.json');
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'];
const publicJwk = (jwk) => Object.fromEntries(
  Object.entries(jwk).filter(([member]) => !PRIVATE_MEMBERS.includes(member)),
);
const clientPublicJwks = { keys: clientKeys.keys.map(publicJwk) };
// Verifies JWT access tokens presented as token-exchange subject/actor tokens.
const providerPublicJwks = createLocalJWKSet({ keys: providerKeys.keys.map(publicJwk) });

// ---------------------------------------------------------------------------------------------
// Clients (clients.json is shared with the Python fixture, which reads ids and secrets from it)
// ---------------------------------------------------------------------------------------------

const extraClients = process.env.OP_EXTRA_CLIENTS
  ? JSON.parse(readFileSync(process.env.OP_EXTRA_CLIENTS, 'utf8')).clients
  : [];
const clients = [...readJson('clients.json').clients, ...extraClients].map((client) => {
  const metadata = structuredClone(client);
  // "{issuer}" placeholders (e.g. in backchannel_logout_uri) depend on the port.
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value === 'string') metadata[key] = value.replaceAll('{issuer}', issuer);
  }
  // private_key_jwt clients without explicit keys get the public part of client-keys.json.
  if (metadata.token_endpoint_auth_method === 'private_key_jwt' && !metadata.jwks && !metadata.jwks_uri) {
    metadata.jwks = clientPublicJwks;
  }
  return metadata;
});

// ---------------------------------------------------------------------------------------------
// Accounts: devInteractions accept any login/password; the login becomes the subject.
// ---------------------------------------------------------------------------------------------

// Known end-users (accounts.json, shared with the Python fixture).
const USERS = readJson('accounts.json').accounts;

function accountClaims(sub) {
  // Any other login gets minimal, predictable claims.
  const known = Object.hasOwn(USERS, sub) ? USERS[sub] : {
    name: sub,
    preferred_username: sub,
    email: `${sub}@example.com`,
    email_verified: false,
  };
  return { sub, ...known };
}

async function findAccount(_ctx, sub) {
  if (typeof sub !== 'string' || !sub) return undefined;
  return {
    accountId: sub,
    // The provider filters these down to what the scopes / claims parameter allow.
    async claims() {
      return accountClaims(sub);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Resource servers (resource indicators, RFC 8707)
// ---------------------------------------------------------------------------------------------

// resources.json (shared with the Python fixture): identifier -> {format, alg}. JWT access tokens
// (typ at+jwt, RFC 9068) are only issued when `resource=` names a "jwt" resource; "opaque"
// resources give opaque tokens that can be introspected and revoked.
const resourceConfig = readJson('resources.json');
const RESOURCES = Object.fromEntries(
  Object.entries(resourceConfig.resources).map(([identifier, { format, alg }]) => [identifier, {
    scope: resourceConfig.scope,
    accessTokenFormat: format,
    accessTokenTTL: 3600,
    ...(format === 'jwt' ? { jwt: { sign: { alg } } } : {}),
  }]),
);

async function getResourceServerInfo(_ctx, resourceIndicator) {
  const info = Object.hasOwn(RESOURCES, resourceIndicator) ? RESOURCES[resourceIndicator] : undefined;
  if (!info) throw new errors.InvalidTarget(`unknown resource indicator ${resourceIndicator}`);
  return structuredClone(info);
}

// ---------------------------------------------------------------------------------------------
// Outbound HTTP (back-channel logout, jwks_uri, sector_identifier_uri, ...)
// ---------------------------------------------------------------------------------------------

function isLoopbackHost(hostname) {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

// oidc-provider passes a dispatcher that refuses special-use addresses (its SSRF guard), which
// includes loopback. Tests run their receivers on 127.0.0.1, so loopback URLs are fetched without
// that dispatcher; every other URL keeps the guard untouched.
async function outboundFetch(url, options) {
  if (isLoopbackHost(new URL(url).hostname)) {
    const { dispatcher, ...rest } = options;
    return globalThis.fetch(url, rest);
  }
  return globalThis.fetch(url, options);
}

// ---------------------------------------------------------------------------------------------
// Token exchange (RFC 8693)
// ---------------------------------------------------------------------------------------------

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
// `act` (RFC 8693 §4.1) claims for exchanged tokens, added through extraTokenClaims.
const actClaims = new WeakMap();

// Resolves an access token issued by this provider (opaque or JWT) to
// { accountId, clientId, scopes } or undefined when it is unknown, expired or revoked.
async function loadAccessToken(provider, value) {
  if (typeof value !== 'string' || !value) return undefined;
  if (value.split('.').length === 3) {
    try {
      const { payload } = await jwtVerify(value, providerPublicJwks, { issuer, typ: 'at+jwt' });
      // Client-credentials JWTs carry sub === client_id and no end-user.
      const accountId = payload.sub !== payload.client_id ? payload.sub : undefined;
      return {
        accountId,
        clientId: payload.client_id,
        scopes: new Set(String(payload.scope ?? '').split(' ').filter(Boolean)),
      };
    } catch {
      return undefined;
    }
  }
  // Opaque: an end-user access token, or a client-credentials token (no accountId).
  const token = (await provider.AccessToken.find(value))
    ?? (await provider.ClientCredentials.find(value));
  if (!token || token.isExpired) return undefined;
  return {
    accountId: token.accountId,
    clientId: token.clientId,
    scopes: new Set(String(token.scope ?? '').split(' ').filter(Boolean)),
  };
}

// Impersonation-style exchange: an end-user access token (subject_token) is exchanged for a new
// access token for the same end-user, issued to the calling client. Policy:
//   * subject_token / actor_token must be access tokens issued by this provider;
//   * at most one target (`resource` or `audience`, which must name a known resource); with a
//     target the new token is that resource's token (JWT unless the resource is opaque) and only
//     carries that resource's scopes; without one it is an opaque token (userinfo-capable);
//   * requested scopes must be among the subject token's scopes or the target resource's scopes
//     (default: the subject token's scopes);
//   * an actor_token adds `act: {sub}` (delegation); DPoP proofs bind the new token as usual.
async function tokenExchange(ctx) {
  const { provider, client, params } = ctx.oidc;
  const {
    subject_token: subjectToken,
    subject_token_type: subjectTokenType,
    actor_token: actorToken,
    actor_token_type: actorTokenType,
    requested_token_type: requestedTokenType,
  } = params;

  if (!subjectToken) throw new errors.InvalidRequest("missing required parameter 'subject_token'");
  if (!subjectTokenType) throw new errors.InvalidRequest("missing required parameter 'subject_token_type'");
  if (subjectTokenType !== ACCESS_TOKEN_TYPE) throw new errors.InvalidRequest('unsupported subject_token_type');
  if (requestedTokenType !== undefined && requestedTokenType !== ACCESS_TOKEN_TYPE) {
    throw new errors.InvalidRequest('unsupported requested_token_type');
  }
  if ((actorToken === undefined) !== (actorTokenType === undefined)) {
    throw new errors.InvalidRequest('actor_token and actor_token_type must be sent together');
  }
  if (actorTokenType !== undefined && actorTokenType !== ACCESS_TOKEN_TYPE) {
    throw new errors.InvalidRequest('unsupported actor_token_type');
  }

  const dPoP = await validateDpop(provider, ctx);

  const subject = await loadAccessToken(provider, subjectToken);
  if (!subject) throw new errors.InvalidGrant('subject_token is invalid, expired or revoked');
  if (!subject.accountId) throw new errors.InvalidGrant('subject_token does not represent an end-user');
  if (!(await findAccount(ctx, subject.accountId))) throw new errors.InvalidGrant('subject not found');

  let act;
  if (actorToken !== undefined) {
    const actor = await loadAccessToken(provider, actorToken);
    if (!actor) throw new errors.InvalidGrant('actor_token is invalid, expired or revoked');
    act = { sub: actor.accountId ?? actor.clientId };
  }

  const toList = (value) => (value === undefined ? [] : [].concat(value));
  const targets = [...new Set([...toList(params.resource), ...toList(params.audience)])];
  if (targets.length > 1) throw new errors.InvalidTarget('only a single resource or audience is supported');
  const [target] = targets;
  let resourceInfo;
  if (target !== undefined) resourceInfo = await getResourceServerInfo(ctx, target);
  const resourceScopes = new Set(String(resourceInfo?.scope ?? '').split(' ').filter(Boolean));

  const requested = params.scope !== undefined
    ? new Set(params.scope.split(' ').filter(Boolean))
    : new Set(subject.scopes);
  for (const scope of requested) {
    if (!subject.scopes.has(scope) && !resourceScopes.has(scope)) {
      throw new errors.InvalidScope('requested scope exceeds the subject_token scope', scope);
    }
  }
  const scope = [...requested].filter((s) => !target || resourceScopes.has(s)).join(' ');

  // A grant of its own keeps the new token usable at userinfo / introspection.
  const grant = new provider.Grant({ accountId: subject.accountId, clientId: client.clientId });
  if (target) {
    if (scope) grant.addResourceScope(target, scope);
  } else if (scope) {
    grant.addOIDCScope(scope);
  }
  const grantId = await grant.save();

  const accessToken = new provider.AccessToken({
    accountId: subject.accountId,
    client,
    grantId,
    gty: 'token_exchange',
    scope: scope || undefined,
  });
  if (target) accessToken.resourceServer = new provider.ResourceServer(target, resourceInfo);
  if (act) actClaims.set(accessToken, { act });

  await applyDpopBinding(provider, ctx, dPoP, accessToken);
  checkDpopRequired(provider, ctx, dPoP);

  ctx.oidc.entity('AccessToken', accessToken);
  const value = await accessToken.save();

  ctx.body = {
    access_token: value,
    issued_token_type: ACCESS_TOKEN_TYPE,
    token_type: accessToken.tokenType,
    expires_in: accessToken.expiration,
    ...(scope ? { scope } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// CIBA (OpenID Connect Client-Initiated Backchannel Authentication 1.0, poll mode)
// ---------------------------------------------------------------------------------------------

// A real provider notifies the end-user's authentication device; here the request is only
// recorded, and the test-only routes below (/test/ciba/...) play the user approving or denying.
const CIBA_PATH = '/test/ciba';
// auth_req_id -> what the "authentication device" was shown, in arrival order.
const cibaRequests = new Map();

const cibaFeature = {
  enabled: true,
  deliveryModes: ['poll'],
  // login_hint names a known account (accounts.json: alice, bob); anything else is
  // unknown_user_id, which the client library reports as the server's error.
  async processLoginHint(_ctx, loginHint) {
    return Object.hasOwn(USERS, loginHint) ? loginHint : undefined;
  },
  async processLoginHintToken(_ctx, _loginHintToken) {
    throw new errors.InvalidRequest('login_hint_token is not supported by the test provider');
  },
  // user_code is optional and any value is accepted (recorded for the tests).
  async verifyUserCode(_ctx, _account, _userCode) {},
  // The library default, without its "should change" warning.
  async validateBindingMessage(_ctx, bindingMessage) {
    if (bindingMessage !== undefined && !/^[a-zA-Z0-9-._+/!?#]{1,20}$/.test(bindingMessage)) {
      throw new errors.InvalidBindingMessage('binding_message must be 1 - 20 characters of [a-zA-Z0-9-._+/!?#]');
    }
  },
  async validateRequestContext(_ctx, _requestContext) {},
  async triggerAuthenticationDevice(ctx, request, account, client) {
    const { params } = ctx.oidc;
    cibaRequests.set(request.jti, {
      auth_req_id: request.jti,
      account_id: account.accountId,
      client_id: client.clientId,
      login_hint: params.login_hint ?? null,
      binding_message: params.binding_message ?? null,
      user_code: params.user_code ?? null,
      scope: request.scope,
      acr_values: params.acr_values ?? null,
      requested_expiry: params.requested_expiry ?? null,
      state: 'pending',
    });
  },
};

// Same as the library default (requested_expiry, capped at 10 minutes) without its warning.
function cibaRequestTTL(ctx) {
  const requested = ctx?.oidc?.params?.requested_expiry;
  return requested ? Math.min(10 * 60, +requested) : 10 * 60;
}

// The pending request a test names: by auth_req_id, else the latest for a login_hint.
function findCibaRecord(form) {
  const id = form.get('auth_req_id');
  if (id) return cibaRequests.get(id);
  const hint = form.get('login_hint');
  const pending = [...cibaRequests.values()]
    .filter((record) => record.state === 'pending' && (!hint || record.login_hint === hint));
  return pending.at(-1);
}

// Test-only "authentication device":
//   POST /test/ciba/approve  (auth_req_id=... | login_hint=...)  the user approves: a Grant with
//                            the request's scopes (and resource) completes it
//   POST /test/ciba/deny     (auth_req_id=... | login_hint=...)  the user denies: access_denied
//   GET  /test/ciba/requests {"requests": [...]}, what was shown (binding_message, user_code, ...)
async function cibaRoute(ctx) {
  if (ctx.method === 'GET' && ctx.path === `${CIBA_PATH}/requests`) {
    ctx.body = { requests: [...cibaRequests.values()] };
    return;
  }
  const action = { [`${CIBA_PATH}/approve`]: 'approve', [`${CIBA_PATH}/deny`]: 'deny' }[ctx.path];
  if (ctx.method !== 'POST' || !action) {
    ctx.status = 404;
    ctx.body = { error: 'not_found' };
    return;
  }
  const record = findCibaRecord(new URLSearchParams(await readBody(ctx.req)));
  const request = record
    && await provider.BackchannelAuthenticationRequest.find(record.auth_req_id, { ignoreExpiration: true });
  if (!record || !request) {
    ctx.status = 404;
    ctx.body = { error: 'no such backchannel authentication request' };
    return;
  }
  if (action === 'approve') {
    const grant = new provider.Grant({ accountId: request.accountId, clientId: request.clientId });
    if (request.scope) grant.addOIDCScope(request.scope);
    if (request.claims) grant.addOIDCClaims(Object.keys(request.claims.id_token ?? {}));
    for (const resource of [].concat(request.resource ?? [])) {
      const info = await getResourceServerInfo(ctx, resource);
      grant.addResourceScope(resource, info.scope);
    }
    await grant.save();
    await provider.backchannelResult(request, grant, { authTime: Math.floor(Date.now() / 1000) });
    record.state = 'approved';
  } else {
    await provider.backchannelResult(request, new errors.AccessDenied('end-user denied the request'));
    record.state = 'denied';
  }
  ctx.body = { auth_req_id: record.auth_req_id, state: record.state };
}

// ---------------------------------------------------------------------------------------------
// TLS mode: mutual TLS (RFC 8705)
// ---------------------------------------------------------------------------------------------

// The peer certificate of the request's TLS connection. Only the OP_MTLS_PORT listener asks for
// one (requestCert); it accepts any certificate (rejectUnauthorized: false) so that
// self_signed_tls_client_auth works, and tls_client_auth checks the chain with
// certificateAuthorized below.
function peerCertificate(ctx) {
  const { socket } = ctx.req;
  if (typeof socket.getPeerCertificate !== 'function') return undefined;
  const peer = socket.getPeerCertificate();
  return peer?.raw ? new X509Certificate(peer.raw) : undefined;
}

// RFC 4514 string of a subject as Node prints it (one "type=value" per line, most significant
// first); enough for the harness's simple names (no characters that need escaping).
const rfc4514 = (subject) => subject.split('\n').reverse().join(',');

function certificateSubjectMatches(ctx, property, expected) {
  const certificate = peerCertificate(ctx);
  if (!certificate) return false;
  const names = (certificate.subjectAltName ?? '').split(', ');
  switch (property) {
    case 'tls_client_auth_subject_dn':
      return rfc4514(certificate.subject) === expected;
    case 'tls_client_auth_san_dns':
      return names.includes(`DNS:${expected}`);
    case 'tls_client_auth_san_ip':
      return names.includes(`IP Address:${expected}`);
    default:
      return false;
  }
}

const mtlsFeature = {
  enabled: true,
  certificateBoundAccessTokens: true,
  selfSignedTlsClientAuth: true,
  tlsClientAuth: true,
  getCertificate: peerCertificate,
  certificateAuthorized: (ctx) => ctx.req.socket.authorized === true,
  certificateSubjectMatches,
};

// The default routes of the endpoints RFC 8705 §5 lets a server alias, served again by the
// OP_MTLS_PORT listener.
const MTLS_ALIASED_ROUTES = {
  token_endpoint: '/token',
  introspection_endpoint: '/token/introspection',
  revocation_endpoint: '/token/revocation',
  userinfo_endpoint: '/me',
  device_authorization_endpoint: '/device/auth',
  pushed_authorization_request_endpoint: '/request',
  backchannel_authentication_endpoint: '/backchannel',
};
const mtlsEndpointAliases = tlsOptions ? Object.fromEntries(
  Object.entries(MTLS_ALIASED_ROUTES).map(([name, path]) => [name, `https://127.0.0.1:${mtlsPort}${path}`]),
) : undefined;

// Test-only request log (TLS mode): GET /test/tls/requests {"requests": [{port, method, path,
// certificate}]}, so tests see which listener each request reached and whether a client
// certificate came with it; DELETE forgets them.
const TLS_LOG_PATH = '/test/tls/requests';
const tlsRequests = [];

// ---------------------------------------------------------------------------------------------
// Rich Authorization Requests (RFC 9396)
// ---------------------------------------------------------------------------------------------

// Two detail types: `payment_initiation` (RFC 9396 §2's example: `instructedAmount` with string
// `currency` and `amount` required) and `account_information` (anything). The consent page
// grants what was asked; codes, access tokens and introspection carry the granted details.
const rarFeature = {
  enabled: true,
  types: {
    payment_initiation: {
      async validate(_ctx, detail) {
        const amount = detail.instructedAmount;
        if (typeof amount?.currency !== 'string' || typeof amount?.amount !== 'string') {
          throw new errors.InvalidAuthorizationDetails('payment_initiation needs instructedAmount.currency and .amount');
        }
      },
    },
    account_information: { async validate() {} },
  },
  // Authorization code / device code: the details the end-user granted at consent.
  authorizationDetailsForGrantSource: async (ctx) => ctx.oidc.grant?.rar ?? [],
  // Code and refresh grants keep the code's details; client_credentials gets what it asks for.
  async authorizationDetailsForAccessToken(ctx, _token, source) {
    if (source?.rar !== undefined) return source.rar;
    const requested = ctx.oidc.params.authorization_details;
    return typeof requested === 'string' ? JSON.parse(requested) : requested;
  },
  authorizationDetailsForIntrospection: async (_ctx, token) => token.rar,
};

// ---------------------------------------------------------------------------------------------
// Provider configuration
// ---------------------------------------------------------------------------------------------

const SIGNING = ['RS256', 'PS256', 'ES256', 'EdDSA', 'Ed25519'];
// HS256 only applies where a client secret is the key (client_secret_jwt, request objects);
// oidc-provider 9 drops HS* from the ID token / userinfo / introspection / JARM lists.
const SIGNING_WITH_HS = ['HS256', ...SIGNING];

const configuration = {
  clients,
  jwks: providerKeys,
  findAccount,
  cookies: { keys: ['py-identity-model-test-cookie-key'] },
  scopes: ['openid', 'offline_access', 'profile', 'email', 'address', 'phone'],
  claims: {
    acr: null,
    auth_time: null,
    iss: null,
    sid: null,
    openid: ['sub'],
    profile: [
      'name', 'given_name', 'family_name', 'middle_name', 'nickname', 'preferred_username',
      'profile', 'picture', 'website', 'gender', 'birthdate', 'zoneinfo', 'locale', 'updated_at',
    ],
    email: ['email', 'email_verified'],
    address: ['address'],
    phone: ['phone_number', 'phone_number_verified'],
  },
  ttl: {
    AccessToken: 3600,
    AuthorizationCode: 120,
    ClientCredentials: 3600,
    DeviceCode: 600,
    Grant: 86400,
    IdToken: 3600,
    Interaction: 600,
    RefreshToken: 86400,
    Session: 86400,
    BackchannelAuthenticationRequest: cibaRequestTTL,
  },
  enabledJWA: {
    clientAuthSigningAlgValues: SIGNING_WITH_HS,
    requestObjectSigningAlgValues: SIGNING_WITH_HS,
    idTokenSigningAlgValues: SIGNING,
    userinfoSigningAlgValues: SIGNING,
    introspectionSigningAlgValues: SIGNING,
    authorizationSigningAlgValues: SIGNING,
    dPoPSigningAlgValues: SIGNING,
  },
  features: {
    devInteractions: { enabled: true },
    claimsParameter: { enabled: true },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    jwtIntrospection: { enabled: true },
    revocation: { enabled: true },
    userinfo: { enabled: true },
    jwtUserinfo: { enabled: true },
    encryption: { enabled: true },
    deviceFlow: { enabled: true },
    registration: { enabled: true },
    registrationManagement: { enabled: true },
    pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: false },
    requestObjects: { enabled: true, requireSignedRequestObject: false },
    jwtResponseModes: { enabled: true },
    dPoP: {
      enabled: true,
      // A nonce secret makes nonces available in both modes; OP_DPOP_NONCE=1 makes them required.
      nonceSecret: Buffer.alloc(32, 7),
      requireNonce: () => dpopNonce,
    },
    backchannelLogout: { enabled: true },
    // FAPI 2.0 for the client-fapi* clients only: PKCE required, client assertions with
    // aud = issuer, request objects with nbf/exp at most an hour apart (oidc-provider's
    // own checks); the clients' metadata adds PAR, DPoP-bound tokens, signed responses.
    fapi: {
      enabled: true,
      profile: (ctx, client) => (client?.clientId?.startsWith('client-fapi') ? '2.0' : undefined),
    },
    ciba: cibaFeature,
    richAuthorizationRequests: rarFeature,
    ...(tlsOptions ? { mTLS: mtlsFeature } : {}),
    rpInitiatedLogout: { enabled: true },
    resourceIndicators: {
      enabled: true,
      // No default resource: without `resource=` access tokens stay opaque (userinfo audience).
      defaultResource: async () => undefined,
      useGrantedResource: async () => false,
      getResourceServerInfo,
    },
  },
  extraTokenClaims: async (_ctx, token) => actClaims.get(token),
  clientBasedCORS: () => true,
  fetch: outboundFetch,
  ...(tlsOptions ? {
    discovery: { mtls_endpoint_aliases: mtlsEndpointAliases },
    clientAuthMethods: [
      'client_secret_basic', 'client_secret_jwt', 'client_secret_post', 'private_key_jwt', 'none',
      'tls_client_auth', 'self_signed_tls_client_auth',
    ],
  } : {}),
};

const provider = new Provider(issuer, configuration);
provider.registerGrantType(
  TOKEN_EXCHANGE,
  tokenExchange,
  ['subject_token', 'subject_token_type', 'actor_token', 'actor_token_type',
    'requested_token_type', 'audience', 'resource', 'scope'],
  ['audience', 'resource'],
);

// ---------------------------------------------------------------------------------------------
// Test-only back-channel logout receiver: client-backchannel's backchannel_logout_uri points here.
//   POST /test/backchannel-logout   records the logout_token (what an RP would receive)
//   GET  /test/backchannel-logout   {"logout_tokens": [...]} received so far
//   DELETE /test/backchannel-logout forgets them
// ---------------------------------------------------------------------------------------------

const BCL_PATH = '/test/backchannel-logout';
const receivedLogoutTokens = [];

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

provider.use(async (ctx, next) => {
  if (debug) console.error(`${ctx.method} ${ctx.url}`);
  if (tlsOptions) {
    if (ctx.path === TLS_LOG_PATH) {
      if (ctx.method === 'DELETE') {
        tlsRequests.length = 0;
        ctx.status = 204;
      } else {
        ctx.body = { requests: tlsRequests };
      }
      return undefined;
    }
    tlsRequests.push({
      port: ctx.req.socket.localPort,
      method: ctx.method,
      path: ctx.path,
      certificate: peerCertificate(ctx) !== undefined,
    });
  }
  if (ctx.path.startsWith(`${CIBA_PATH}/`)) return cibaRoute(ctx);
  if (ctx.path !== BCL_PATH) return next();
  if (ctx.method === 'POST') {
    const token = new URLSearchParams(await readBody(ctx.req)).get('logout_token');
    if (!token) {
      ctx.status = 400;
      ctx.body = { error: 'missing logout_token' };
      return undefined;
    }
    receivedLogoutTokens.push(token);
    ctx.status = 200;
    ctx.body = '';
  } else if (ctx.method === 'GET') {
    ctx.body = { logout_tokens: receivedLogoutTokens };
  } else if (ctx.method === 'DELETE') {
    receivedLogoutTokens.length = 0;
    ctx.status = 204;
  } else {
    ctx.status = 405;
  }
  return undefined;
});

// Unexpected failures are always logged; OP_DEBUG=1 also logs every request and every error
// answered to a client (one line each: what the client got and why).
provider.on('server_error', (ctx, err) => console.error(`server_error ${ctx.method} ${ctx.path}`, err));
if (debug) {
  const ERROR_EVENTS = [
    'authorization', 'backchannel', 'code_verification', 'device_authorization', 'device_resume',
    'discovery', 'end_session', 'end_session_confirm', 'end_session_success', 'grant',
    'introspection', 'jwks', 'pushed_authorization_request', 'registration_create',
    'registration_delete', 'registration_read', 'registration_update', 'revocation', 'userinfo',
  ].map((name) => `${name}.error`);
  for (const event of ERROR_EVENTS) {
    provider.on(event, (ctx, err) => {
      const detail = err?.error_detail ?? err?.message;
      console.error(`${event} ${ctx?.method} ${ctx?.path}: ${err?.error ?? err?.name}: ${err?.error_description ?? ''}${detail ? ` (${detail})` : ''}`);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Start / stop
// ---------------------------------------------------------------------------------------------

function listen(listener, listenPort) {
  return new Promise((resolve) => {
    listener.on('error', (err) => {
      console.error(`cannot listen on 127.0.0.1:${listenPort}: ${err.message}`);
      process.exit(1);
    });
    listener.listen(listenPort, '127.0.0.1', resolve);
  });
}

const servers = tlsOptions
  ? [
    [createHttpsServer(tlsOptions, provider.callback()), port],
    [createHttpsServer({
      ...tlsOptions,
      ca: readFileSync(process.env.OP_TLS_CLIENT_CA),
      requestCert: true,
      rejectUnauthorized: false,
    }, provider.callback()), mtlsPort],
  ]
  : [[createHttpServer(provider.callback()), port]];
await Promise.all(servers.map(([listener, listenPort]) => listen(listener, listenPort)));
process.stdout.write(`${JSON.stringify({
  ready: true, issuer, port, dpop_nonce: dpopNonce, ...(tlsOptions ? { mtls_port: mtlsPort } : {}),
})}\n`);

function shutdown() {
  let open = servers.length;
  for (const [listener] of servers) {
    listener.close(() => { open -= 1; if (open === 0) process.exit(0); });
    // Idle keep-alive connections would otherwise hold close() open.
    listener.closeAllConnections();
  }
  setTimeout(() => process.exit(0), 1000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

// With OP_EXIT_WITH_STDIN=1 the provider also stops when its stdin closes, i.e. when the test
// process that holds the other end of the pipe dies without stopping it (no orphans).
if (process.env.OP_EXIT_WITH_STDIN === '1') {
  // Nobody is left to talk to: exit at once rather than closing gracefully.
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('close', () => process.exit(0));
  process.stdin.resume();
}
