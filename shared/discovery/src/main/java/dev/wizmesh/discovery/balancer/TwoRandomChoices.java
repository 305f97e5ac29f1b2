package dev.wizmesh.discovery.balancer;

import dev.wizmesh.discovery.ServiceInstance;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.random.RandomGenerator;

/**
 * The "power of two choices": sample two distinct candidates at random and keep the cheaper.
 *
 * <p>Comparing only two costs O(1) per call, yet it avoids the worst instances almost as well
 * as scanning all of them; and unlike always taking the global minimum, it does not send every
 * concurrent caller to the same momentarily idle instance (the "herd"). Ties go to whichever
 * was sampled first, which is itself random.
 */
final class TwoRandomChoices {
    private TwoRandomChoices() {
    }

    static ServiceInstance choose(List<ServiceInstance> candidates, RandomGenerator random,
                                  ToDoubleFunction<ServiceInstance> cost) {
        int size = candidates.size();
        if (size == 1) {
            return candidates.get(0);
        }
        int first = random.nextInt(size);
        int second = random.nextInt(size - 1);
        if (second >= first) {
            second++; // skip over the first, so the two are distinct and still uniform
        }
        ServiceInstance a = candidates.get(first);
        ServiceInstance b = candidates.get(second);
        return cost.applyAsDouble(a) <= cost.applyAsDouble(b) ? a : b;
    }
}
