import type { Detector } from '../detector';
import { apiKeyDetectors } from './api-keys';
import { bearerTokenDetector } from './bearer-token';
import { emailDetector } from './email';
import { ibanDetector } from './iban';
import { ipv4Detector, ipv6Detector } from './ip-address';
import { jwtDetector } from './jwt';
import { krRrnDetector } from './kr-rrn';
import { maestro12Detector, paymentCardDetector } from './payment-card';
import { createPhoneDetector } from './phone';
import { privateKeyDetector } from './private-key';
import { secretAssignmentDetector } from './secret-assignment';
import { secretFlagDetector } from './secret-flag';
import { sqlPasswordDetector } from './sql-password';
import { urlCredentialDetector } from './url-credentials';
import { usSsnDetector } from './us-ssn';
import { ageDetector } from './age';
import { dateOfBirthDetector } from './date-of-birth';
import { personNameDetector } from './person-name';
import { passportDetector, usDriverLicenseDetector } from './us-id-documents';
import { streetAddressDetector } from './street-address';
import { postalCodeDetector } from './postal-code';

/** Every built-in detector, phone numbers for the default regions (US, KR, GB). */
export const builtInDetectors: readonly Detector[] = [
  ...apiKeyDetectors,
  privateKeyDetector,
  jwtDetector,
  bearerTokenDetector,
  secretAssignmentDetector,
  urlCredentialDetector,
  sqlPasswordDetector,
  secretFlagDetector,
  emailDetector,
  ibanDetector,
  paymentCardDetector,
  maestro12Detector,
  krRrnDetector,
  usSsnDetector,
  ipv4Detector,
  ipv6Detector,
  createPhoneDetector(),
  dateOfBirthDetector,
  ageDetector,
  usDriverLicenseDetector,
  passportDetector,
  streetAddressDetector,
  postalCodeDetector,
  personNameDetector,
];

/** The types the built-in detectors report, for `disabledTypes`. */
export const builtInTypes: readonly string[] = [...new Set(builtInDetectors.map((detector) => detector.type))];
