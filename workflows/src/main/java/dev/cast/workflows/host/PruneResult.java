package dev.cast.workflows.host;

import java.util.List;

public record PruneResult(List<String> removed) {}
