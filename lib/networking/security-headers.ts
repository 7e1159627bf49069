/** Browser security headers for every response of an exposed service. */
export interface SecurityHeadersOptions {
  /** Strict-Transport-Security max-age in seconds. @default 31536000 (one year) */
  readonly hstsMaxAgeSeconds?: number;
  /** X-Frame-Options. @default 'DENY' */
  readonly frameOptions?: 'DENY' | 'SAMEORIGIN';
  /** Content-Security-Policy. @default "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'" */
  readonly contentSecurityPolicy?: string;
  /** Referrer-Policy. @default 'strict-origin-when-cross-origin' */
  readonly referrerPolicy?: string;
}

/** The header set, sorted by name: HSTS, CSP, nosniff, frame options, referrer policy. */
export function securityHeaders(options: SecurityHeadersOptions = {}): Record<string, string> {
  const maxAge = options.hstsMaxAgeSeconds ?? 31536000;
  if (!Number.isInteger(maxAge) || maxAge < 1) throw new Error(`hstsMaxAgeSeconds must be a positive whole number; received ${maxAge}`);
  const csp = options.contentSecurityPolicy ?? "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
  if (/[\r\n]/.test(csp)) throw new Error('contentSecurityPolicy must be one line (a header value cannot hold line breaks)');
  return {
    'Content-Security-Policy': csp,
    'Referrer-Policy': options.referrerPolicy ?? 'strict-origin-when-cross-origin',
    'Strict-Transport-Security': `max-age=${maxAge}; includeSubDomains`,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': options.frameOptions ?? 'DENY',
  };
}
