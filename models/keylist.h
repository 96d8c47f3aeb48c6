/*
 * keylist — every key of a capacity source, of its sub-mappings and of a
 * fixed bid, once.  An X-macro list with no include guard (jq's
 * opcode_list.h): models.h and registry.c include it several times, each
 * with its own definitions of SECTION, KEY and END.  The reader
 * (sim/input/kindread.c), `capmix help`, `capmix validate`, calibrate and
 * tornado's item-level test all read these rows; adding a key is one row
 * here (and, for a key that is not a plain quantity, its reading).
 *
 * SECTION(S, "help name") opens section S; END(S) closes it.  A section's
 * rows are its keys in the order the help lists them.
 *
 * KEY(S, id, type, domain, level, scope, sub, field, has, doc):
 *   type    what the value is (model_key_type)
 *   domain  the support a quantity must keep (dist.h), checked at load
 *   level   KL_TRIAL: drawn once a trial; KL_ITEM: drawn afresh for every
 *           item or event (model §1); KL_NONE: not a quantity
 *   scope   KS_ALL: every kind takes it; KS_PAY: only the kinds that name
 *           it among their pay keys (kinds.c)
 *   sub     for a KT_MAP, the section its mapping holds, else NONE
 *   field   F(member): where a plain quantity of a source goes in
 *           src_params, read by the one generic loop; NOF otherwise
 *   has     the SRC_HAS_ flag the key sets (source.h), or 0
 *   doc     one line for the help
 *
 * The order of the plain quantities (type KT_DIST with a field) is the
 * order the reader checks them in: do not reorder rows without need.
 */

SECTION(SOURCE, "source")
KEY(SOURCE, name, KT_NAME, DOM_ANY, KL_NONE, KS_ALL, NONE, NOF, 0,
    "what the source is called, unique in its alternative")
KEY(SOURCE, kind, KT_KIND, DOM_ANY, KL_NONE, KS_ALL, NONE, NOF, 0,
    "its kind of capacity (capmix help kinds)")
KEY(SOURCE, headcount, KT_DIST, DOM_NONNEG, KL_TRIAL, KS_ALL, NONE, F(headcount), 0,
    "people in it")
KEY(SOURCE, lanes, KT_INT, DOM_NONNEG, KL_NONE, KS_ALL, NONE, NOF, 0,
    "items in progress at once (default: the headcount)")
KEY(SOURCE, hourly_rate, KT_DIST, DOM_NONNEG, KL_TRIAL, KS_PAY, NONE, F(hourly_rate), 0,
    "billed per person and hour")
KEY(SOURCE, hours_per_month, KT_DIST, DOM_NONNEG, KL_TRIAL, KS_PAY, NONE, F(hours_per_month), 0,
    "hours a person works a month (default: the calendar's)")
KEY(SOURCE, monthly_fee, KT_DIST, DOM_NONNEG, KL_TRIAL, KS_PAY, NONE, F(monthly_fee), 0,
    "a fee a month (a retainer)")
KEY(SOURCE, loaded_annual, KT_DIST, DOM_NONNEG, KL_TRIAL, KS_PAY, NONE, F(loaded_annual), 0,
    "a person's fully loaded cost a year")
KEY(SOURCE, throughput, KT_MAP, DOM_NONNEG, KL_TRIAL, KS_ALL, OBSERVED, NOF, 0,
    "observed passes and days, calibrated per trial")
KEY(SOURCE, throughput_per_month, KT_DIST, DOM_NONNEG, KL_TRIAL, KS_ALL, NONE, F(tp_per_month), 0,
    "passes a lane completes a month")
/* a zero-size pass takes no time: in run-rate mode a lane would
 * complete infinitely many at one instant */
KEY(SOURCE, item_size, KT_DIST, DOM_POSITIVE, KL_ITEM, KS_ALL, NONE, F(item_size), 0,
    "one pass's effort, in typical items (default: exponential, mean 1)")
KEY(SOURCE, ramp_from, KT_DIST, DOM_PROB, KL_TRIAL, KS_ALL, NONE, F(ramp_from), SRC_HAS_RAMP,
    "productivity on its first day, as a share of full")
KEY(SOURCE, ramp_days, KT_DIST, DOM_NONNEG, KL_TRIAL, KS_ALL, NONE, F(ramp_days), SRC_HAS_RAMP,
    "days to full productivity")
KEY(SOURCE, outcomes, KT_MAP, DOM_PROB, KL_TRIAL, KS_ALL, OUTCOMES, NOF, 0,
    "what becomes of a pass: accepted, rework, superseded")
KEY(SOURCE, rework_outcomes, KT_MAP, DOM_PROB, KL_TRIAL, KS_ALL, OUTCOMES, NOF, 0,
    "the same for a reworked pass")
KEY(SOURCE, rework_effort, KT_DIST, DOM_NONNEG, KL_ITEM, KS_ALL, NONE, F(rework_effort), 0,
    "a rework pass's effort as a share of the first")
KEY(SOURCE, max_rework_cycles, KT_INT, DOM_NONNEG, KL_NONE, KS_ALL, NONE, NOF, 0,
    "the most rework passes of one item (default 5)")
KEY(SOURCE, review_wait_days, KT_DIST, DOM_NONNEG, KL_ITEM, KS_ALL, NONE, F(review_wait_days),
    SRC_HAS_REVIEW_WAIT, "days a pass waits for review")
KEY(SOURCE, review_hours_per_item, KT_DIST, DOM_NONNEG, KL_ITEM, KS_ALL, NONE,
    F(review_hours_per_item), SRC_HAS_REVIEW_HOURS, "senior hours reviewing a pass")
KEY(SOURCE, oversight, KT_MAP, DOM_NONNEG, KL_TRIAL, KS_ALL, OVERSIGHT, NOF, 0,
    "internal hours a week spent on it")
KEY(SOURCE, tokens, KT_MAP, DOM_NONNEG, KL_TRIAL, KS_ALL, TOKENS, NOF, 0,
    "an inference bill")
KEY(SOURCE, change_orders, KT_MAP, DOM_NONNEG, KL_ITEM, KS_ALL, CHANGE_ORDERS, NOF, 0,
    "charges beyond the rate, item by item")
KEY(SOURCE, escaped_defects_per_outcome, KT_DIST, DOM_NONNEG, KL_TRIAL, KS_ALL, NONE,
    F(defect_rate), SRC_HAS_DEFECTS, "defects that escape per accepted outcome")
KEY(SOURCE, defect_cost, KT_DIST, DOM_NONNEG, KL_ITEM, KS_ALL, NONE, F(defect_cost), 0,
    "the cost of one escaped defect")
KEY(SOURCE, onboarding_cost, KT_DIST, DOM_NONNEG, KL_TRIAL, KS_ALL, NONE, F(onboarding_cost), 0,
    "a one-off cost at its start")
KEY(SOURCE, exit_cost, KT_DIST, DOM_NONNEG, KL_TRIAL, KS_ALL, NONE, F(exit_cost), 0,
    "a one-off cost at its end")
KEY(SOURCE, min_months, KT_NUMBER, DOM_NONNEG, KL_NONE, KS_PAY, NONE, NOF, 0,
    "months billed at least")
KEY(SOURCE, start_delay_days, KT_DIST, DOM_NONNEG, KL_TRIAL, KS_ALL, NONE, F(start_delay_days), 0,
    "days before it starts")
END(SOURCE)

SECTION(OUTCOMES, "outcomes")
KEY(OUTCOMES, accepted, KT_NUMBER, DOM_PROB, KL_TRIAL, KS_ALL, NONE, NOF, 0,
    "the pass is accepted: an outcome")
KEY(OUTCOMES, rework, KT_NUMBER, DOM_PROB, KL_TRIAL, KS_ALL, NONE, NOF, 0,
    "the pass goes back for rework")
KEY(OUTCOMES, superseded, KT_NUMBER, DOM_PROB, KL_TRIAL, KS_ALL, NONE, NOF, 0,
    "the pass is thrown away")
END(OUTCOMES)

/* the wrapper of observed counts: throughput's only key, and the other
 * form of outcomes */
SECTION(OBSERVED, "throughput")
KEY(OBSERVED, observed, KT_MAP, DOM_NONNEG, KL_TRIAL, KS_ALL, TP_OBSERVED, NOF, 0,
    "counts seen lately, instead of a rate or probabilities")
END(OBSERVED)

SECTION(TP_OBSERVED, "throughput.observed")
KEY(TP_OBSERVED, items, KT_NUMBER, DOM_NONNEG, KL_NONE, KS_ALL, NONE, NOF, 0,
    "passes completed")
KEY(TP_OBSERVED, days, KT_NUMBER, DOM_POSITIVE, KL_NONE, KS_ALL, NONE, NOF, 0,
    "over this many days")
END(TP_OBSERVED)

SECTION(OVERSIGHT, "oversight")
KEY(OVERSIGHT, senior_hours_per_week, KT_DIST, DOM_NONNEG, KL_TRIAL, KS_ALL, NONE, NOF, 0,
    "a senior engineer's hours a week")
KEY(OVERSIGHT, pm_hours_per_week, KT_DIST, DOM_NONNEG, KL_TRIAL, KS_ALL, NONE, NOF, 0,
    "a product manager's hours a week")
END(OVERSIGHT)

SECTION(TOKENS, "tokens")
KEY(TOKENS, monthly, KT_DIST, DOM_NONNEG, KL_TRIAL, KS_ALL, NONE, NOF, 0,
    "the bill a month at the start")
KEY(TOKENS, growth_per_month, KT_DIST, DOM_ANY, KL_TRIAL, KS_ALL, NONE, NOF, 0,
    "its growth a month, compounding (0.05: +5 %)")
KEY(TOKENS, per_item, KT_DIST, DOM_NONNEG, KL_ITEM, KS_ALL, NONE, NOF, 0,
    "a charge per pass")
END(TOKENS)

SECTION(CHANGE_ORDERS, "change_orders")
KEY(CHANGE_ORDERS, probability_per_item, KT_DIST, DOM_PROB, KL_ITEM, KS_ALL, NONE, NOF, 0,
    "the chance a pass brings a change order")
KEY(CHANGE_ORDERS, cost, KT_DIST, DOM_NONNEG, KL_ITEM, KS_ALL, NONE, NOF, 0,
    "the cost of one")
END(CHANGE_ORDERS)

SECTION(FIXED_BID, "fixed_bid")
KEY(FIXED_BID, price, KT_DIST, DOM_NONNEG, KL_TRIAL, KS_ALL, NONE, NOF, 0,
    "the price for the whole scope")
KEY(FIXED_BID, delivery_days, KT_DIST, DOM_NONNEG, KL_TRIAL, KS_ALL, NONE, NOF, 0,
    "the day it delivers")
KEY(FIXED_BID, late_penalty_per_day, KT_DIST, DOM_NONNEG, KL_TRIAL, KS_ALL, NONE, NOF, 0,
    "paid back per day late, from due_day")
KEY(FIXED_BID, due_day, KT_NUMBER, DOM_NONNEG, KL_NONE, KS_ALL, NONE, NOF, 0,
    "the day lateness counts from")
KEY(FIXED_BID, penalty_cap, KT_NUMBER, DOM_NONNEG, KL_NONE, KS_ALL, NONE, NOF, 0,
    "the most the penalty pays back")
KEY(FIXED_BID, change_orders, KT_MAP, DOM_NONNEG, KL_ITEM, KS_ALL, BID_CHANGE_ORDERS, NOF, 0,
    "charges beyond the price")
KEY(FIXED_BID, oversight, KT_MAP, DOM_NONNEG, KL_TRIAL, KS_ALL, OVERSIGHT, NOF, 0,
    "internal hours a week spent on the partner")
KEY(FIXED_BID, escaped_defects_per_outcome, KT_DIST, DOM_NONNEG, KL_TRIAL, KS_ALL, NONE, NOF, 0,
    "defects that escape per outcome")
KEY(FIXED_BID, defect_cost, KT_DIST, DOM_NONNEG, KL_ITEM, KS_ALL, NONE, NOF, 0,
    "the cost of one escaped defect")
KEY(FIXED_BID, warranty_covers_defects, KT_BOOL, DOM_ANY, KL_NONE, KS_ALL, NONE, NOF, 0,
    "the partner pays for escaped defects")
END(FIXED_BID)

SECTION(BID_CHANGE_ORDERS, "fixed_bid.change_orders")
KEY(BID_CHANGE_ORDERS, count_mean, KT_DIST, DOM_NONNEG, KL_TRIAL, KS_ALL, NONE, NOF, 0,
    "change orders expected over the scope")
KEY(BID_CHANGE_ORDERS, cost, KT_DIST, DOM_NONNEG, KL_ITEM, KS_ALL, NONE, NOF, 0,
    "the cost of one")
END(BID_CHANGE_ORDERS)
