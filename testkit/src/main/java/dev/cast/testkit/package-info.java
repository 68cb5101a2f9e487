/**
 * Harnesses for tests and benchmarks that run Cast as it runs in production, across several hosts:
 * {@link dev.cast.testkit.Fleet} starts host agents as processes of their own, each in a network
 * namespace of its own where the machine allows.
 */
package dev.cast.testkit;
