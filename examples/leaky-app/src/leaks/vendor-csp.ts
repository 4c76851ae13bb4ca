// The loosened Content-Security-Policy the vendor ships so the admin page's third-party assets load.
export const VENDOR_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data: https://avatars.vendor.invalid",
  "style-src 'self' 'unsafe-inline' https://fonts.vendor-cdn.invalid https://fonts.googleapis.com",
  "font-src 'self' https://fonts.vendor-cdn.invalid https://fonts.gstatic.com",
  "script-src 'self' 'unsafe-inline' https://analytics.vendor.invalid https://chat.vendor.invalid https://www.googletagmanager.com",
  "connect-src 'self' https://analytics.vendor.invalid https://chat.vendor.invalid https://www.google-analytics.com",
  "frame-ancestors 'none'",
].join('; ')
