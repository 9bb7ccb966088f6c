"""engine_link"""
