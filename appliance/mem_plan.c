/* SPDX-License-Identifier: Apache-2.0 */
#include "appliance/mem_plan.h"

#include <stdio.h>
#include <string.h>

#include "appliance/web_service.h"
#include "atoll/tcpip.h"

#define TCP_CONNS_MIN 512u
#define TCP_CONNS_MAX 65535u
#define HS_BIG_MAX 4u
#define TCP_BUFFERS_FLOOR 256u /* the stack's default pool */

static uint32_t tcp_conns_for(uint32_t max_conns)
{
    uint64_t n = 2u * ((uint64_t)max_conns + WEB_SPARE);
    if (n < TCP_CONNS_MIN)
        n = TCP_CONNS_MIN;
    return n > TCP_CONNS_MAX ? TCP_CONNS_MAX : (uint32_t)n;
}

static size_t stack_need(uint32_t tcp_conns, uint32_t tcp_buffers)
{
    struct atoll_config c;
    memset(&c, 0, sizeof c);
    c.tcp_max_conns = tcp_conns;
    c.tcp_buffers = tcp_buffers;
    c.tcp_buffer_size = MEM_PLAN_TCP_BUFSIZE;
    return atoll_stack_size_for(&c);
}

/* Everything but the sets (sets = 0, hs_big large buffers). */
static uint64_t fixed_need(uint32_t max_conns, uint32_t hs_big)
{
    /* One TCP buffer too (0 would mean the stack's default pool). */
    return (uint64_t)stack_need(tcp_conns_for(max_conns), 1) + web_memory_need(max_conns, 0, hs_big);
}

static uint64_t set_cost(void)
{
    /* The set, its free-list entry, two TCP buffers and their entries;
     * 16 bytes of alignment slack in each arena. */
    return web_set_bytes() + sizeof(uint32_t) + 2u * (MEM_PLAN_TCP_BUFSIZE + sizeof(uint32_t));
}

static int fits(uint64_t budget, uint32_t max_conns, uint32_t hs_big)
{
    uint64_t need = fixed_need(max_conns, hs_big) + MEM_PLAN_MIN_SETS * set_cost() + 64u;
    return need <= budget;
}

int mem_plan(uint64_t budget, uint32_t max_conns, int given, struct mem_plan *plan, char *why, size_t why_len)
{
    memset(plan, 0, sizeof *plan);
    if (max_conns == 0) {
        snprintf(why, why_len, "no connections asked for");
        return -1;
    }
    if (!fits(budget, max_conns, 1)) {
        uint32_t lo = 0, hi = max_conns; /* the most that fit, by bisection */
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo + 1u) / 2u;
            if (fits(budget, mid, 1))
                lo = mid;
            else
                hi = mid - 1u;
        }
        if (given || lo == 0) {
            uint64_t need = fixed_need(max_conns, 1) + MEM_PLAN_MIN_SETS * set_cost() + 64u;
            snprintf(why, why_len, "%u connections need %llu KiB, more than the %llu KiB of memory (%u would fit)",
                     (unsigned)max_conns, (unsigned long long)((need + 1023u) >> 10),
                     (unsigned long long)(budget >> 10), (unsigned)lo);
            return -1;
        }
        max_conns = lo;
    }
    uint32_t slots = max_conns + WEB_SPARE;
    /* Large ClientHellos are rare: one buffer per 16 sets, at most 4. */
    uint32_t hs_big = 1;
    for (;;) {
        uint64_t left = budget - fixed_need(max_conns, hs_big) - 64u;
        uint64_t sets = left / set_cost();
        if (sets > slots)
            sets = slots;
        uint32_t want = (uint32_t)(sets / 16u);
        if (want > HS_BIG_MAX)
            want = HS_BIG_MAX;
        if (want <= hs_big || !fits(budget, max_conns, hs_big + 1u)) {
            plan->sets = (uint32_t)sets;
            break;
        }
        hs_big++;
    }
    plan->max_conns = max_conns;
    plan->hs_big = hs_big;
    plan->tcp_conns = tcp_conns_for(max_conns);
    if (plan->sets < MEM_PLAN_MIN_SETS)
        plan->sets = MEM_PLAN_MIN_SETS; /* fits() made room for them */
    /* Connections outside the table (the TCP echo, lingering closes) use
     * TCP's pool too: when the budget allows, it keeps the stack's own
     * default size at least. */
    uint32_t tcp_min = 2u * plan->sets + 1u;
    if (tcp_min < TCP_BUFFERS_FLOOR) {
        uint64_t used = fixed_need(max_conns, hs_big) + (uint64_t)plan->sets * set_cost() + 64u;
        uint64_t extra = budget > used ? (budget - used) / (MEM_PLAN_TCP_BUFSIZE + sizeof(uint32_t)) : 0;
        uint64_t want = TCP_BUFFERS_FLOOR - tcp_min;
        tcp_min += (uint32_t)(extra < want ? extra : want);
    }
    for (;;) { /* the estimate above, checked against the exact sizes */
        plan->tcp_buffers = tcp_min;
        plan->stack_bytes = stack_need(plan->tcp_conns, plan->tcp_buffers);
        plan->web_bytes = web_memory_need(max_conns, plan->sets, hs_big);
        if ((uint64_t)plan->stack_bytes + plan->web_bytes <= budget || plan->sets <= MEM_PLAN_MIN_SETS)
            break;
        plan->sets--;
        tcp_min = tcp_min > 2u * plan->sets + 1u ? tcp_min - 1u : 2u * plan->sets + 1u;
    }
    plan->conn_idle_bytes = web_slot_bytes() + atoll_tcp_conn_size();
    plan->set_bytes = (size_t)set_cost();
    return 0;
}
