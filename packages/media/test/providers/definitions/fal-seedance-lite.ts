export type SeedanceTextToVideoInput = {
  /**
   * The aspect ratio of the generated video Default value: `"16:9"`
   */
  aspect_ratio?: "21:9" | "16:9" | "4:3" | "1:1" | "3:4" | "9:16" | "9:21";
  /**
   * Whether to fix the camera position
   */
  camera_fixed?: boolean;
  /**
   * Duration of the video in seconds Default value: `"5"`
   */
  duration?: "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "10" | "11" | "12";
  /**
   * If set to true, the safety checker will be enabled. Default value: `true`
   */
  enable_safety_checker?: boolean;
  /**
   * The number of frames to generate. If provided, will override duration.
   */
  num_frames?: number;
  /**
   * The text prompt used to generate the video
   */
  prompt: string;
  /**
   * Video resolution - 480p for faster generation, 720p for higher quality Default value: `"720p"`
   */
  resolution?: "480p" | "720p" | "1080p";
  /**
   * Random seed to control video generation. Use -1 for random.
   */
  seed?: number;
};
export type BytedanceSeedanceV1LiteTextToVideoInput = SeedanceTextToVideoInput;
export type EndpointTypeMap = {
  "fal-ai/bytedance/seedance/v1/lite/text-to-video": {
    input: BytedanceSeedanceV1LiteTextToVideoInput;
    output: BytedanceSeedanceV1LiteTextToVideoOutput;
  };
};

