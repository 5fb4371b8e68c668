package dev.llmtask;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the {@code String} parameter that names the tenant a call is spent for (an id of yours, e.g. a
 * customer account; not customer text): per-tenant budgets ({@code Budget.perTenant}) count the call
 * under it. At most one parameter of a task method carries it.
 *
 * <p>A tenant given by the call's {@link CallOptions} ({@link CallOptions.Builder#tenant}) wins over
 * this parameter, which wins over the task's {@code taskOptions}. A {@code null} value means no tenant
 * from the parameter; a blank one is an {@link IllegalArgumentException}. The parameter may also be
 * used in the prompts as {@code {{name}}}, and need not be.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.PARAMETER)
public @interface Tenant {}
