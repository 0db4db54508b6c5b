import { describe, expect, it } from "vitest";
import { serviceHealth } from "./service-health";

const quiet = { requests: 1000, errors: 0, budgetRemaining: 0.9, openPageAlerts: 0, openTicketAlerts: 0 };

describe("serviceHealth", () => {
  it("is ok with traffic, few errors and budget to spare", () => {
    expect(serviceHealth(quiet)).toEqual({ health: "ok", reason: "healthy" });
  });

  it("is idle without traffic, unless something else is wrong", () => {
    expect(serviceHealth({ ...quiet, requests: 0 }).health).toBe("idle");
    expect(serviceHealth({ ...quiet, requests: 0, openPageAlerts: 1 }).health).toBe("critical");
  });

  it("turns red on an open page alert, an exhausted budget or a high error rate", () => {
    expect(serviceHealth({ ...quiet, openPageAlerts: 2 })).toEqual({ health: "critical", reason: "2 open page alerts" });
    expect(serviceHealth({ ...quiet, budgetRemaining: 0 })).toEqual({ health: "critical", reason: "error budget exhausted" });
    expect(serviceHealth({ ...quiet, errors: 50 })).toEqual({ health: "critical", reason: "5.0% of requests failing" });
  });

  it("turns amber on a ticket alert, a low budget or a rising error rate", () => {
    expect(serviceHealth({ ...quiet, openTicketAlerts: 1 }).health).toBe("warning");
    expect(serviceHealth({ ...quiet, budgetRemaining: 0.2 })).toEqual({ health: "warning", reason: "20% of the error budget left" });
    expect(serviceHealth({ ...quiet, errors: 10 })).toEqual({ health: "warning", reason: "1.0% of requests failing" });
  });

  it("does not colour by error rate on a handful of requests", () => {
    expect(serviceHealth({ ...quiet, requests: 5, errors: 5, budgetRemaining: null }).health).toBe("ok");
  });

  it("treats a service without SLOs by its traffic alone", () => {
    expect(serviceHealth({ ...quiet, budgetRemaining: null }).health).toBe("ok");
  });
});
