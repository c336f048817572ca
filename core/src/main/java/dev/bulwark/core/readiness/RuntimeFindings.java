package dev.bulwark.core.readiness;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Findings observed while serving, such as forwarded headers arriving while no proxy is trusted: each id is logged
 * once, as a warning, and kept for the next report.
 *
 * <p>Safe for concurrent use; bounded (at most 64 ids are kept). Request-path code should test {@link
 * #seen(String)} before building a finding, so that after the first report the cost is one map lookup.
 */
public final class RuntimeFindings {

    private static final Logger LOG = LoggerFactory.getLogger("bulwark.readiness");
    private static final int MAX = 64;

    private final Map<String, ReadinessFinding> findings = new ConcurrentHashMap<>();

    /** Returns whether a finding with this id was already reported. */
    public boolean seen(String id) {
        return findings.containsKey(id);
    }

    /** Records a finding and logs it, the first time its id is reported; later reports are ignored. */
    public void report(ReadinessFinding finding) {
        requireNonNull(finding, "finding");
        if (findings.size() >= MAX || findings.putIfAbsent(finding.id(), finding) != null) {
            return;
        }
        LOG.warn("{} (reported once)", finding);
    }

    /** Returns the findings recorded so far. */
    public List<ReadinessFinding> findings() {
        return new ArrayList<>(findings.values());
    }
}
