<?php

// Load the cartlift PHP classes without composer: require_once this file.
require_once __DIR__ . '/src/Exceptions.php';
require_once __DIR__ . '/src/Engine.php';
