import QRCode from 'qrcode';

/** The `otpauth://` URI as an SVG QR code, drawn here so the secret never goes to a third party. */
export const qrCodeSvg = (uri: string): Promise<string> =>
  QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
