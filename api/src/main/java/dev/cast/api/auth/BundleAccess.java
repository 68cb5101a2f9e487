package dev.cast.api.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A release's bundle or torrent: bundles are code and may hold secrets, so only someone who could
 * deploy the release may fetch it: a deployer's token, the agent token, or the release's capability
 * ({@code ?cap=}, signed and expiring: what agents and the BitTorrent web seed, which cannot send a
 * header, are handed).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD})
public @interface BundleAccess {}
