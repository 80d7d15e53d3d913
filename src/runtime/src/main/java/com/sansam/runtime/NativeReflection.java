package com.sansam.runtime;

import com.sansam.messages.ChatEvents;
import com.sansam.messages.Envelope;
import com.sansam.messages.StockCommands;
import com.sansam.messages.StockEvents;
import com.sansam.messages.UserEvents;
import com.sansam.runtime.inbox.DeadLetter;
import com.sansam.runtime.problem.Problem;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * For native images: the records Jackson reads and writes outside REST resource signatures (message envelopes
 * and payloads, problem details), with their nested records, are registered for reflection here.
 */
@RegisterForReflection(
        targets = {
            Envelope.class,
            StockCommands.class,
            StockEvents.class,
            UserEvents.class,
            ChatEvents.class,
            Problem.class,
            DeadLetter.class
        },
        ignoreNested = false)
public final class NativeReflection {

    private NativeReflection() {}
}
