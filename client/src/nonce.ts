// The nonce of a panel's Content-Security-Policy: 128 random bits from Web Crypto, which the Node and
// the browser extension hosts both have.
export function cspNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}
