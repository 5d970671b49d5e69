"""What the graded checks are written with: expectations with clear messages, probes and judged checks shared by
several homeworks, step helpers, reference losses and data.
"""
