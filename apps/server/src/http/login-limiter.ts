import { AppError } from "@mcpmediaengine/contract";
import { FailedAuthLimiter } from "./failed-auth-limiter";

/**
 * Sign-in and sign-up attempts, counted in this process's memory like requests without a valid key: failed
 * sign-ins per client address and per email (so neither one address trying many emails nor many addresses trying
 * one email get far), and sign-up attempts per address (each opens an account with free credits).
 */
export class LoginLimiter {
  private readonly byAddress: FailedAuthLimiter;
  private readonly byEmail: FailedAuthLimiter;
  private readonly signups: FailedAuthLimiter;

  constructor(failuresPerMinute: number, signupsPerHour: number) {
    this.byAddress = new FailedAuthLimiter(failuresPerMinute);
    this.byEmail = new FailedAuthLimiter(failuresPerMinute);
    this.signups = new FailedAuthLimiter(signupsPerHour, 50_000, 3_600_000);
  }

  /** Throws 429 while this address, or this email, has no failed sign-ins left. */
  checkLogin(address: string, email?: string): void {
    const wait = Math.max(
      this.byAddress.waitSeconds(address),
      email === undefined ? 0 : this.byEmail.waitSeconds(email),
    );
    if (wait > 0) throw limited(`Too many failed sign-ins; try again in ${wait} s.`, wait);
  }

  loginFailed(address: string, email?: string): void {
    this.byAddress.fail(address);
    if (email !== undefined) this.byEmail.fail(email);
  }

  /** Takes one sign-up attempt from the address's allowance, or throws 429 when none is left. */
  takeSignup(address: string): void {
    const wait = this.signups.waitSeconds(address) || this.signups.fail(address);
    if (wait > 0) throw limited(`Too many sign-ups from this address; try again in ${wait} s.`, wait);
  }
}

function limited(message: string, wait: number): AppError {
  return new AppError("rate_limited", message, { retryAfterSeconds: wait });
}
